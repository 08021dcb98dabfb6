package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bootstrap.VigilHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** A server that makes a semaphore per reserved thread: the dead ones never crowd out a new one. */
class SemaphoreChurnTest {

    private static final String SITE = "A|com.example.Reserved|<init>|30";
    private static final String OFFER = "A|com.example.Reserved|offer|40";
    private static final String TAKE = "A|com.example.Reserved|reservedWait|50";

    @Test
    void aSemaphoreCreatedAfterManyCollectedOnesIsTrackedFromItsCreation() throws InterruptedException {
        SyncTracker tracker = new SyncTracker(System::currentTimeMillis);
        for (int i = 0; i < SyncTracker.MAX_SEMAPHORES; i++) {
            tracker.semaphoreCreated(new Semaphore(0), SITE);
        }
        // The table is full of semaphores nobody holds. Once the collector has cleared them, a new
        // one is tracked (nothing else here sweeps the table: without the sweep at creation it never is).
        Semaphore signal = new Semaphore(0);
        for (int i = 0; i < 100 && tracker.semaphores.get(signal) == null; i++) {
            System.gc();
            Thread.sleep(10);
            tracker.semaphoreCreated(signal, SITE);
        }
        assertThat(tracker.semaphores.get(signal)).as("tracked from its creation").isNotNull()
                .satisfies(l -> assertThat(l.limit).as("the permits it was made with").isZero());
    }

    @Test
    void theLedgersOfIdleSemaphoresMakeRoomForANewOneWhenTheTableIsFullOfLiveOnes() throws InterruptedException {
        SyncTracker tracker = new SyncTracker(System::currentTimeMillis);
        // Reserved threads whose signal was given and taken, still reachable: the collector cannot help.
        List<Semaphore> done = new ArrayList<>();
        for (int i = 0; i < SyncTracker.MAX_SEMAPHORES; i++) {
            Semaphore s = new Semaphore(0);
            done.add(s);
            tracker.semaphoreCreated(s, SITE);
            s.release();
            tracker.released(VigilHooks.currentSlot(), s, 1, OFFER);
            s.acquireUninterruptibly();
            tracker.acquired(VigilHooks.currentSlot(), s, 1, TAKE);
        }
        Semaphore signal = new Semaphore(0);
        tracker.semaphoreCreated(signal, SITE);
        assertThat(tracker.ledgerOf(signal)).as("tracked from its creation").isNotNull()
                .satisfies(l -> assertThat(l.limit).as("the permits it was made with").isZero());

        // Jetty's reserved thread: the offering thread releases, the reserved thread takes the signal and ends.
        signal.release();
        tracker.released(VigilHooks.currentSlot(), signal, 1, OFFER);
        Thread reserved = new Thread(() -> {
            signal.acquireUninterruptibly();
            tracker.acquired(VigilHooks.currentSlot(), signal, 1, TAKE);
        }, "reserved");
        reserved.start();
        reserved.join();
        assertThat(tracker.ledgerOf(signal).outstanding()).as("the signal was paid for by the release").isEmpty();
        assertThat(tracker.truncated()).containsEntry("semaphoresNotTracked", 0L)
                .hasEntrySatisfying("idleSemaphoresForgotten", n -> assertThat(n).isPositive());
        assertThat(done).hasSize(SyncTracker.MAX_SEMAPHORES);
    }

    @Test
    void aSemaphoreWithPermitsHeldIsNeverForgottenToMakeRoom() {
        SyncTracker tracker = new SyncTracker(System::currentTimeMillis);
        List<Semaphore> held = new ArrayList<>();
        for (int i = 0; i < SyncTracker.MAX_SEMAPHORES; i++) {
            Semaphore s = new Semaphore(1);
            held.add(s);
            tracker.semaphoreCreated(s, SITE);
            s.acquireUninterruptibly();
            tracker.acquired(VigilHooks.currentSlot(), s, 1, TAKE);
        }
        Semaphore late = new Semaphore(1);
        tracker.semaphoreCreated(late, SITE);
        assertThat(tracker.ledgerOf(late)).as("no room: every ledger has a permit held").isNull();
        assertThat(tracker.truncated()).containsEntry("idleSemaphoresForgotten", 0L);
        assertThat(tracker.ledgerOf(held.get(0)).outstanding()).singleElement()
                .satisfies(h -> assertThat(h.site).isEqualTo(TAKE));
    }
}
