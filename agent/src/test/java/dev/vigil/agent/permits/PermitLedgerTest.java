package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The matching rules of {@link PermitLedger}: what is outstanding, what is an over-release. */
class PermitLedgerTest {

    private static final String ACQUIRE = "A|app.Pool|take|10";
    private static final String RELEASE = "A|app.Pool|give|20";

    /** Runs {@code body} on a fresh thread and waits for it: a second thread, deterministically. */
    private static Thread onOtherThread(Runnable body) throws InterruptedException {
        Thread t = new Thread(body, "other");
        t.start();
        t.join();
        return t;
    }

    @Test
    void aReleaseOnTheAcquiringThreadClearsItsPermits() {
        PermitLedger l = new PermitLedger("Semaphore@1", 3);
        Thread me = Thread.currentThread();
        l.acquired(me, 2, ACQUIRE, 1);
        assertThat(l.held()).isEqualTo(2);
        assertThat(l.released(me, 2, RELEASE, 3)).isFalse();
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.credit).isZero();
    }

    @Test
    void aReleaseFromAnotherThreadMatchesTheOldestAcquisitionAndIsNoOverRelease() throws InterruptedException {
        PermitLedger l = new PermitLedger("Semaphore@1", 2);
        Thread me = Thread.currentThread();
        l.acquired(me, 1, ACQUIRE, 1);
        l.acquired(me, 1, "A|app.Pool|take|11", 2);
        boolean[] over = new boolean[1];
        onOtherThread(() -> over[0] = l.released(Thread.currentThread(), 1, RELEASE, 1));
        assertThat(over[0]).isFalse();
        assertThat(l.outstanding()).singleElement().satisfies(h -> {
            assertThat(h.site).isEqualTo("A|app.Pool|take|11");
            assertThat(h.permits).isEqualTo(1);
        });
        assertThat(l.overReleaseSite).isNull();
    }

    @Test
    void aSignalSemaphoreNeverHasOutstandingPermitsNorOverReleases() throws InterruptedException {
        // new Semaphore(0); a producer releases five, the consumer acquires five, in any interleaving.
        PermitLedger l = new PermitLedger("Semaphore@2", 0);
        onOtherThread(() -> {
            for (int i = 1; i <= 3; i++) {
                assertThat(l.released(Thread.currentThread(), 1, RELEASE, i)).isFalse();
            }
        });
        Thread me = Thread.currentThread();
        for (int i = 0; i < 5; i++) {
            l.acquired(me, 1, ACQUIRE, 3 + i);
        }
        onOtherThread(() -> {
            for (int i = 0; i < 2; i++) {
                l.released(Thread.currentThread(), 1, RELEASE, 1);
            }
        });
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.overReleaseSite).isNull();
        assertThat(l.credit).isZero();
    }

    @Test
    void aProducerIsNeverOverReleasingEvenWhenTheLimitWasMisjudgedAtFirstSight() throws InterruptedException {
        // The consumer's acquire was seen first, after the producer's release: limit 1, not 0.
        PermitLedger l = new PermitLedger("Semaphore@3", 1);
        l.acquired(Thread.currentThread(), 1, ACQUIRE, 1);
        onOtherThread(() -> {
            for (int i = 0; i < 4; i++) {
                assertThat(l.released(Thread.currentThread(), 1, RELEASE, 2 + i)).isFalse();
            }
        });
        assertThat(l.overReleaseSite).isNull();
    }

    @Test
    void aSecondReleaseByTheAcquiringThreadThatRaisesTheLimitIsAnOverRelease() {
        PermitLedger l = new PermitLedger("Semaphore@4", 2);
        Thread me = Thread.currentThread();
        l.acquired(me, 1, ACQUIRE, 1);
        assertThat(l.released(me, 1, RELEASE, 2)).isFalse();
        assertThat(l.released(me, 1, "A|app.Main|main|30", 3)).isTrue();
        assertThat(l.overReleaseSite).isEqualTo("A|app.Main|main|30");
        assertThat(l.overReleaseAvailable).isEqualTo(3);
        assertThat(l.released(me, 1, "A|app.Main|main|30", 4)).as("recorded once, counted each time").isFalse();
        assertThat(l.overReleases).isEqualTo(2);
    }

    @Test
    void aReleaseBackToTheLimitIsNoOverRelease() {
        PermitLedger l = new PermitLedger("Semaphore@5", 2);
        Thread me = Thread.currentThread();
        l.acquired(me, 1, ACQUIRE, 1);
        l.released(me, 1, RELEASE, 2);
        // An unmatched release that leaves the semaphore at its limit (its acquire was not seen).
        assertThat(l.released(me, 1, RELEASE, 2)).isFalse();
    }

    @Test
    void permitsOfAThreadThatEndedAreOutstandingAndTheThreadIsNotKeptAlive() throws InterruptedException {
        PermitLedger l = new PermitLedger("Semaphore@6", 3);
        CountDownLatch done = new CountDownLatch(1);
        Thread t = onOtherThread(() -> {
            l.acquired(Thread.currentThread(), 1, ACQUIRE, 1);
            done.countDown();
        });
        assertThat(l.outstanding()).singleElement().satisfies(h -> {
            assertThat(h.threadName).isEqualTo("other");
            assertThat(h.threadId).isEqualTo(t.getId());
            assertThat(h.ended()).isTrue();
        });
    }

    @Test
    void theHolderTableIsBoundedAndCountsWhatItCannotAttribute() throws InterruptedException {
        PermitLedger l = new PermitLedger("Semaphore@7", 1000);
        for (int i = 0; i < PermitLedger.MAX_HOLDERS + 5; i++) {
            String site = "A|app.Pool|take|" + i;
            onOtherThread(() -> l.acquired(Thread.currentThread(), 1, site, 1));
        }
        assertThat(l.outstanding()).hasSize(PermitLedger.MAX_HOLDERS);
        assertThat(l.unattributed).isEqualTo(5);
        // Releases pay attributed permits first, then the unattributed ones, before any credit.
        Thread me = Thread.currentThread();
        l.released(me, PermitLedger.MAX_HOLDERS + 5, RELEASE, 1000);
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.unattributed).isZero();
        assertThat(l.credit).isZero();
    }
}
