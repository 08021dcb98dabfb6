package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

/** A server that makes a semaphore per reserved thread: the dead ones never crowd out a new one. */
class SemaphoreChurnTest {

    private static final String SITE = "A|com.example.Reserved|<init>|30";

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
}
