package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.SemaphoreSummary;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The tracker's fast path: own-thread acquire/release pairs on the semaphore a thread used last
 * are recorded in the thread's cache (its hook slot) without the ledger's monitor, and every
 * reader of the ledger (report table, permit-leak detector, stuck-wait releasers) still sees
 * what the slow path would have recorded.
 */
class PermitFastPathTest {

    private static final String ACQUIRE = "A|app.Pool|take|10";
    private static final String ACQUIRE2 = "A|app.Pool|take|11";
    private static final String RELEASE = "A|app.Pool|give|20";

    private final AtomicLong clock = new AtomicLong(1_000);
    private final SyncTracker tracker = new SyncTracker(clock::get);

    private void acquire(Semaphore s, String site) {
        assertThat(s.tryAcquire()).isTrue();
        tracker.acquired(VigilHooks.currentSlot(), s, 1, site);
    }

    private void release(Semaphore s) {
        s.release();
        tracker.released(VigilHooks.currentSlot(), s, 1, RELEASE);
    }

    private static Thread onOtherThread(Runnable body) throws InterruptedException {
        Thread t = new Thread(body, "other");
        t.start();
        t.join();
        return t;
    }

    private SemaphoreSummary row(Semaphore s) {
        String label = SyncTracker.label(s);
        return tracker.summaries().stream().filter(r -> r.semaphore().equals(label)).findFirst().orElseThrow();
    }

    @Test
    void ownThreadPairsBypassTheLedgerAndAreFoldedIntoIt() {
        Semaphore s = new Semaphore(4);
        for (int i = 0; i < 1000; i++) {
            acquire(s, ACQUIRE);
            release(s);
        }
        PermitLedger l = tracker.ledgerOf(s);
        synchronized (l) {
            // only the first pair took the slow path: the rest are in this thread's cache
            assertThat(l.acquisitions).isEqualTo(1);
            assertThat(l.releases).isEqualTo(1);
        }
        // readers see them all the same
        assertThat(l.counts()).containsExactly(1000, 1000);
        assertThat(l.outstanding()).isEmpty();
        SemaphoreSummary r = row(s);
        assertThat(r.acquisitions()).isEqualTo(1000);
        assertThat(r.releases()).isEqualTo(1000);
        assertThat(r.held()).isZero();
        assertThat(r.overReleases()).isZero();

        // one permit held on the fast path is outstanding, at its site
        acquire(s, ACQUIRE2);
        assertThat(l.outstanding()).singleElement().satisfies(h -> {
            assertThat(h.site).isEqualTo(ACQUIRE2);
            assertThat(h.permits).isEqualTo(1);
            assertThat(h.threadId).isEqualTo(Thread.currentThread().getId());
            assertThat(h.ended()).isFalse();
        });
        assertThat(row(s).held()).isEqualTo(1);

        // the thread moves to another semaphore: its cache is folded into the first ledger
        Semaphore other = new Semaphore(1);
        acquire(other, ACQUIRE);
        synchronized (l) {
            assertThat(l.acquisitions).isEqualTo(1001);
            assertThat(l.releases).isEqualTo(1000);
        }
        assertThat(l.counts()).containsExactly(1001, 1000);
        assertThat(l.held()).isEqualTo(1);
        release(other);
        // and the release of the folded permit, now a slow-path one, matches it
        release(s);
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.counts()).containsExactly(1001, 1001);
        assertThat(l.overReleases).isZero();
    }

    @Test
    void aReleaseOnAnotherThreadStillMatchesTheOldestOutstandingAcquisition() throws InterruptedException {
        Semaphore s = new Semaphore(3);
        acquire(s, ACQUIRE);
        release(s);
        acquire(s, ACQUIRE); // fast path: held in this thread's cache
        clock.set(2_000);
        tracker.sweep();
        Thread[] late = new Thread[1];
        // a second holder, younger, on another thread that stays alive
        Semaphore started = new Semaphore(0);
        Semaphore done = new Semaphore(0);
        late[0] = new Thread(() -> {
            acquire(s, ACQUIRE2);
            started.release();
            done.acquireUninterruptibly();
        }, "younger");
        late[0].start();
        started.acquireUninterruptibly();
        PermitLedger l = tracker.ledgerOf(s);
        assertThat(l.held()).isEqualTo(2);
        // a hand-off release: gives back the oldest, this thread's fast-path permit
        onOtherThread(() -> release(s));
        assertThat(l.overReleases).isZero();
        assertThat(l.outstanding()).singleElement().satisfies(h -> {
            assertThat(h.site).isEqualTo(ACQUIRE2);
            assertThat(h.threadName).isEqualTo("younger");
        });
        // this thread's next acquisition folds the matched one: still only the new one is outstanding
        acquire(s, ACQUIRE);
        assertThat(l.held()).isEqualTo(2);
        release(s);
        assertThat(l.outstanding()).singleElement().satisfies(h -> assertThat(h.threadName).isEqualTo("younger"));
        assertThat(l.overReleases).isZero();
        done.release();
        late[0].join();
    }

    @Test
    void aSignalSemaphoreConsumedOnTheFastPathShowsNothingOutstanding() throws InterruptedException {
        Semaphore s = new Semaphore(0);
        for (int i = 0; i < 5; i++) {
            onOtherThread(() -> release(s));
            acquire(s, ACQUIRE);
        }
        PermitLedger l = tracker.ledgerOf(s);
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.overReleases).isZero();
        assertThat(l.counts()).containsExactly(5, 5);
    }

    @Test
    void aThreadThatEndsHoldingAFastPathPermitIsReported() throws InterruptedException {
        Semaphore s = new Semaphore(2);
        Thread t = onOtherThread(() -> {
            acquire(s, ACQUIRE);
            release(s);
            acquire(s, ACQUIRE);
            release(s);
            acquire(s, ACQUIRE2); // fast path, never released
        });
        PermitLedger l = tracker.ledgerOf(s);
        assertThat(t.isAlive()).isFalse();
        assertThat(l.outstanding()).singleElement().satisfies(h -> {
            assertThat(h.site).isEqualTo(ACQUIRE2);
            assertThat(h.permits).isEqualTo(1);
            assertThat(h.threadName).isEqualTo("other");
            assertThat(h.ended()).isTrue();
        });
        assertThat(l.heldByEnded()).isEqualTo(1);
        // the ended thread's cache was folded into the ledger itself
        synchronized (l) {
            assertThat(l.acquisitions).isEqualTo(3);
            assertThat(l.releases).isEqualTo(2);
        }
        assertThat(row(s).held()).isEqualTo(1);
    }

    @Test
    void anExtraReleaseAfterFastPathPairsIsAnOverRelease() {
        Semaphore s = new Semaphore(2);
        for (int i = 0; i < 10; i++) {
            acquire(s, ACQUIRE);
            release(s);
        }
        release(s); // 3 of 2
        PermitLedger l = tracker.ledgerOf(s);
        assertThat(l.overReleases).isEqualTo(1);
        assertThat(l.overReleaseSite).isEqualTo(RELEASE);
        assertThat(l.counts()).containsExactly(10, 11);
        assertThat(l.outstanding()).isEmpty();
    }

    @Test
    void aForgottenSemaphoreLeavesNoCacheBehind() {
        Semaphore s = new Semaphore(1);
        acquire(s, ACQUIRE);
        release(s);
        tracker.forget(s);
        acquire(s, ACQUIRE);
        release(s);
        assertThat(tracker.ledgerOf(s)).isNotNull();
        assertThat(tracker.ledgerOf(s).counts()).containsExactly(1, 1);
    }

    @Test
    void aReleaseOfAPermitAnotherThreadGaveBackAlreadyIsAnOverRelease() throws InterruptedException {
        Semaphore s = new Semaphore(2);
        acquire(s, ACQUIRE);
        release(s);
        acquire(s, ACQUIRE); // fast path
        onOtherThread(() -> release(s)); // hand-off: gives back this thread's permit
        PermitLedger l = tracker.ledgerOf(s);
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.overReleases).isZero();
        release(s); // and this thread gives it back again: 3 of 2
        assertThat(l.overReleases).isEqualTo(1);
        assertThat(l.overReleaseSite).isEqualTo(RELEASE);
        assertThat(l.overReleaseThreadId).isEqualTo(Thread.currentThread().getId());
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.counts()).containsExactly(2, 3);
    }

    @Test
    void aFoldSettlesAGiveBackTheOwnerDidNotSeeOnItsFastPath() throws InterruptedException {
        Semaphore s = new Semaphore(2);
        acquire(s, ACQUIRE);
        release(s);
        acquire(s, ACQUIRE); // fast path
        onOtherThread(() -> release(s)); // gives back this thread's permit: recorded as its cache's debt
        PermitLedger l = tracker.ledgerOf(s);
        PermitCache c = (PermitCache) VigilHooks.currentSlot().permits;
        // as if this thread had not seen the debt yet: its own release of the same permit on the fast path
        s.release();
        c.fastReleased(1, RELEASE);
        assertThat(l.overReleases).isZero();
        // its next slow-path event folds the cache: the second give-back is an over-release (3 of 2)
        Semaphore other = new Semaphore(1);
        acquire(other, ACQUIRE);
        assertThat(l.overReleases).isEqualTo(1);
        assertThat(l.overReleaseSite).isEqualTo(RELEASE);
        assertThat(l.outstanding()).isEmpty();
        assertThat(l.counts()).containsExactly(2, 3);
        release(other);
    }

    @Test
    void aSemaphoreSeenAtItsCreationKeepsItsExactLimitWhateverItsFirstUsesRace() throws InterruptedException {
        Semaphore created = new Semaphore(3);
        tracker.semaphoreCreated(created, "A|app.Pool|<init>|5");
        Semaphore unseen = new Semaphore(3);
        // Another thread's acquire whose event has not arrived yet, then this thread's first event.
        onOtherThread(() -> assertThat(created.tryAcquire()).isTrue());
        onOtherThread(() -> assertThat(unseen.tryAcquire()).isTrue());
        acquire(created, ACQUIRE);
        acquire(unseen, ACQUIRE);
        assertThat(row(created).limit()).isEqualTo(3);
        assertThat(row(created).firstUsedAt()).isEqualTo("Pool.java:10");
        assertThat(row(unseen).limit()).as("first seen at a racing use: a lower bound").isEqualTo(2);
    }
}
