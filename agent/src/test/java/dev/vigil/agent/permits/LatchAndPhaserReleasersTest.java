package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.SyncListener;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Severity;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Phaser;
import org.junit.jupiter.api.Test;

/** Who could release a latch or a phaser, as the stuck-wait finding names them. */
class LatchAndPhaserReleasersTest {

    private static final String SITE = "A|com.example.Job|run|12";

    private final SyncTracker tracker = new SyncTracker(System::currentTimeMillis);
    private final StuckWaitWatch watch = new StuckWaitWatch(tracker, 1, new StackFrames(PackageFilter.of("com.example.*", "")));

    private static Thread ended(String name, Runnable r) throws InterruptedException {
        Thread t = new Thread(r, name);
        t.start();
        t.join();
        return t;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> releasers(Finding f) {
        return (List<Map<String, Object>>) f.details().get("releasers");
    }

    /** A wait of this thread on {@code on}, past the 1 ms threshold, as reported. */
    private Finding stuckOn(Object on, int primitive) throws InterruptedException {
        Object token = tracker.waitStarting(on, primitive, SITE);
        Thread.sleep(5); // at least 5 ms: past the 1 ms threshold
        assertThat(watch.check()).isTrue();
        List<Finding> found = watch.findings(Phase.RUNNING);
        tracker.waitEnded(token);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void aLatchListsItsCountersThenTheThreadsItsCreatorStartedAfterwards() throws Exception {
        CountDownLatch latch = new CountDownLatch(2);
        long creator = Thread.currentThread().getId();
        tracker.synchronizerCreated(latch, "A|com.example.Job|run|10");
        Thread counter = ended("counter", () -> tracker.countedDown(latch, "A|com.example.Job|work|20"));
        Thread worker = ended("worker", () -> { });
        long[] asked = new long[2];
        watch.threadStarts((parentId, since, max) -> {
            asked[0] = parentId;
            asked[1] = since;
            return List.of(new ThreadStarts.Started(counter.getId(), "counter", false, counter),
                    new ThreadStarts.Started(worker.getId(), "worker", false, worker));
        });

        Finding f = stuckOn(latch, SyncListener.LATCH);

        assertThat(asked[0]).as("threads started by the creating thread").isEqualTo(creator);
        assertThat(asked[1]).isPositive();
        assertThat(releasers(f)).extracting(r -> r.get("thread") + ": " + r.get("role")).containsExactly(
                "counter: counted down before",
                "worker: started by '" + Thread.currentThread().getName() + "' after the latch was created");
        assertThat(f.severity()).as("every possible releaser has ended").isEqualTo(Severity.ERROR);
        assertThat(f.details()).containsEntry("createdAt", "Job.java:10");
        assertThat(f.message()).contains(StuckWaitWatch.WORKER_RULE);
    }

    @Test
    void anAliveLikelyWorkerMakesItAWarning() throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        tracker.synchronizerCreated(latch, "A|com.example.Job|run|10");
        Thread me = Thread.currentThread();
        watch.threadStarts((parentId, since, max) -> List.of(new ThreadStarts.Started(99_999, "slow-worker", true, null)));
        Finding f = stuckOn(latch, SyncListener.LATCH);
        assertThat(releasers(f)).singleElement().satisfies(r -> assertThat(r).containsEntry("alive", true));
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(me.isAlive()).isTrue();
    }

    @Test
    void aLatchCreatedOutsideTheApplicationHasNoLikelyWorkers() throws Exception {
        CountDownLatch latch = new CountDownLatch(1);
        watch.threadStarts((parentId, since, max) -> {
            throw new AssertionError("not asked: the creator is unknown");
        });
        tracker.countedDown(latch, SITE); // first seen at a count-down
        Finding f = stuckOn(latch, SyncListener.LATCH);
        assertThat(releasers(f)).extracting(r -> r.get("role")).containsExactly("counted down before");
    }

    @Test
    void aPhaserListsThePartiesThatHaveNotArrivedInTheCurrentPhase() throws Exception {
        Phaser phaser = new Phaser(1);
        Thread gaveUp = ended("gave-up", () -> {
            phaser.register();
            tracker.phaserEvent(phaser, SyncListener.PHASER_REGISTER, 0, 1, "A|com.example.Job|work|30");
            tracker.phaserEvent(phaser, SyncListener.PHASER_ARRIVE, phaser.arrive(), 1, "A|com.example.Job|work|31");
        });
        Thread left = ended("left", () -> {
            phaser.register();
            tracker.phaserEvent(phaser, SyncListener.PHASER_REGISTER, 0, 1, "A|com.example.Job|work|40");
            tracker.phaserEvent(phaser, SyncListener.PHASER_DEREGISTER, phaser.arriveAndDeregister(), 1,
                    "A|com.example.Job|work|41");
        });
        // main arrives in phase 0 (the phase advances), then in phase 1 and waits
        tracker.phaserEvent(phaser, SyncListener.PHASER_ARRIVE, phaser.arrive(), 1, SITE);
        assertThat(phaser.getPhase()).isEqualTo(1);
        tracker.phaserEvent(phaser, SyncListener.PHASER_ARRIVE, phaser.arrive(), 1, SITE);

        Finding f = stuckOn(phaser, SyncListener.PHASER);

        assertThat(releasers(f)).singleElement().satisfies(r -> assertThat(r).containsEntry("thread", "gave-up")
                .containsEntry("alive", false).containsEntry("role", "party, arrived in phase 0, not in phase 1"));
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.sites()).extracting(s -> s.location()).contains("Job.java:31");
        assertThat(gaveUp.isAlive() || left.isAlive()).isFalse();
    }

    @Test
    void phaserPartiesRegisteredInBulkAreCountedNotGuessed() throws Exception {
        Phaser phaser = new Phaser(3);
        tracker.phaserEvent(phaser, SyncListener.PHASER_ARRIVE, phaser.arrive(), 1, SITE);
        Finding f = stuckOn(phaser, SyncListener.PHASER);
        assertThat(releasers(f)).isEmpty();
        assertThat(f.details()).containsEntry("partiesWithoutThread", 2);
        assertThat(f.severity()).as("two parties may still come").isEqualTo(Severity.WARNING);
        assertThat(f.message()).contains("2 parties have not arrived that Vigil knows no thread for");
    }
}
