package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.pool.Lifecycle;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.SyncListener;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Severity;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * A service's main thread waits in {@code join()} (Jetty's {@code Server.join}) for as long as the
 * service runs: no stuck wait, unless nothing alive can ever release it.
 */
class LifecycleWaitTest {

    private static final String SITE = "A|com.example.Server|join|40";

    private final SyncTracker tracker = new SyncTracker(System::currentTimeMillis);
    private final StuckWaitWatch watch = new StuckWaitWatch(tracker, 1, new StackFrames(PackageFilter.of("com.example.*", "")));

    /**
     * Waits on {@code on} past the 1 ms threshold and lets the watch look, from inside the caller's
     * frame: the findings as reported while the thread waits, or none when the watch found nothing new.
     */
    private List<Finding> stuckHere(Object on, int primitive) throws InterruptedException {
        Object token = tracker.waitStarting(on, primitive, SITE);
        try {
            Thread.sleep(5); // at least 5 ms: past the 1 ms threshold
            return watch.check() ? watch.findings(Phase.RUNNING) : List.of();
        } finally {
            tracker.waitEnded(token);
        }
    }

    /** As Jetty's {@code Server.join()}: waits until the server stops (an application frame). */
    private List<Finding> join(Object on, int primitive) throws Exception {
        return Lifecycle.join(() -> stuckHere(on, primitive));
    }

    private List<Finding> serve(Object on, int primitive) throws Exception {
        return Lifecycle.serve(() -> stuckHere(on, primitive));
    }

    @Test
    void aThreadWaitingInJoinForAServiceToStopIsNoStuckWait() throws Exception {
        Object stopped = new ReentrantLock().newCondition();

        assertThat(join(stopped, SyncListener.CONDITION)).isEmpty();
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
        assertThat(watch.check()).as("not looked at again").isFalse();
    }

    @Test
    void theSameWaitOutsideJoinIsAStuckWait() throws Exception {
        Object stopped = new ReentrantLock().newCondition();

        assertThat(serve(stopped, SyncListener.CONDITION)).singleElement().satisfies(f -> {
            assertThat(f.primaryLocation()).isEqualTo("Server.java:40");
            assertThat(f.threads().get(0).name()).isEqualTo(Thread.currentThread().getName());
        });
    }

    @Test
    void aJoinThatNothingAliveCanEverReleaseIsStillAnError() throws Exception {
        CountDownLatch done = new CountDownLatch(2);
        tracker.synchronizerCreated(done, "A|com.example.Server|start|10");
        Thread worker = new Thread(() -> tracker.countedDown(done, "A|com.example.Server|work|20"), "worker");
        worker.start();
        worker.join();

        assertThat(join(done, SyncListener.LATCH)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.primaryLocation()).isEqualTo("Server.java:40");
        });
    }
}
