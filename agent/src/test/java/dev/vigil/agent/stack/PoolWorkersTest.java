package dev.vigil.agent.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.pool.Pools;
import dev.vigil.report.model.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PoolWorkersTest {

    private final AtomicInteger scans = new AtomicInteger();
    private final PoolWorkers workers = new PoolWorkers(() -> {
        scans.incrementAndGet();
        return Pools.loaded().toArray(new Class<?>[0]);
    });

    /** A stack, innermost frame first, from {@code Class.method} strings. */
    private static List<Frame> stack(String... frames) {
        List<Frame> out = new ArrayList<>();
        for (String f : frames) {
            int dot = f.lastIndexOf('.');
            String cls = f.substring(0, dot);
            out.add(new Frame(cls, f.substring(dot + 1), cls.substring(cls.lastIndexOf('.') + 1) + ".java", 1,
                    !PackageFilter.isPlatform(cls)));
        }
        return out;
    }

    private static final String POOL = "com.example.pool.Pools$Pool";

    @Test
    void aPoolWorkerPollingItsJobQueueWaitsForWork() {
        // Jetty: AutoLock's condition, under BlockingArrayQueue.poll, under QueuedThreadPool$Runner.idleJobPoll.
        assertThat(workers.waitingForWork(stack(
                "jdk.internal.misc.Unsafe.park",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.awaitNanos",
                "dev.vigil.bootstrap.LockCalls.awaitNanos",
                "com.example.pool.Lock$WithCondition.awaitNanos",
                "com.example.pool.JobQueue.poll",
                POOL + "$Runner.idleJobPoll",
                POOL + "$Runner.run",
                "java.lang.Thread.run"))).isTrue();
    }

    @Test
    void aReservedThreadWaitingInsideItsExecutorWaitsForWork() {
        assertThat(workers.waitingForWork(stack(
                "java.util.concurrent.Semaphore.tryAcquire",
                POOL + "$Reserved.reservedWait",
                POOL + "$Reserved.run",
                POOL + ".runJob"))).isTrue();
    }

    @Test
    void aTaskRunningOnAPoolThreadIsNotWaitingForWork() {
        assertThat(workers.waitingForWork(stack(
                "java.util.concurrent.CountDownLatch.await",
                "com.example.app.Handler.handle",
                "com.example.app.Handler.run",
                POOL + ".runJob",
                POOL + "$Runner.run"))).isFalse();
    }

    @Test
    void aCallerBlockedInABoundedExecutorsExecuteIsNotAWorker() {
        assertThat(workers.waitingForWork(stack(
                "java.util.concurrent.Semaphore.acquire",
                "com.example.pool.Pools$Bounded.execute",
                "com.example.app.Client.send"))).isFalse();
    }

    @Test
    void aCallbackFarAboveAnEventLoopIsNotAWorker() {
        assertThat(workers.waitingForWork(stack(
                "java.util.concurrent.CountDownLatch.await",
                "com.example.app.Handler.channelRead",
                "com.example.net.Context.invokeChannelRead",
                "com.example.net.Context.fireChannelRead",
                "com.example.pool.Pools$Loop.processSelectedKey"))).isFalse();
    }

    @Test
    void aServiceMainThreadInJoinWaitsForAStop() {
        assertThat(PoolWorkers.waitsForAStop(stack(
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject.await",
                "com.example.pool.Lock$WithCondition.await",
                POOL + ".join",
                "com.example.server.Server.join",
                "com.example.app.Main.main"))).isTrue();
    }

    @Test
    void aWaitInATaskThatAForkJoinWorkerRunsWhileHelpingInJoinIsNotAStopWait() {
        assertThat(PoolWorkers.waitsForAStop(stack(
                "java.util.concurrent.CountDownLatch.await",
                "com.example.app.Part.compute",
                "java.util.concurrent.ForkJoinTask.doExec",
                "java.util.concurrent.ForkJoinPool.helpJoin",
                "java.util.concurrent.ForkJoinTask.join",
                "com.example.app.Whole.compute"))).isFalse();
        assertThat(PoolWorkers.waitsForAStop(stack(
                "java.util.concurrent.CountDownLatch.await",
                "com.example.app.Handler.run",
                "com.example.server.Server.join"))).as("inside a task").isFalse();
    }

    @Test
    void theLoadedClassesAreReadOncePerUnknownName() {
        List<Frame> idle = stack("com.example.pool.JobQueue.poll", POOL + "$Runner.idleJobPoll");
        assertThat(workers.waitingForWork(idle)).isTrue();
        assertThat(workers.waitingForWork(idle)).isTrue();
        assertThat(scans.get()).isEqualTo(1);
    }

    @Test
    void nestedAndLambdaClassesNameTheirEnclosingClasses() {
        assertThat(PoolWorkers.selfAndEnclosing("a.B$C$1")).containsExactly("a.B$C$1", "a.B$C", "a.B");
        assertThat(PoolWorkers.selfAndEnclosing("a.B$$Lambda$12/0x01")).containsExactly("a.B$$Lambda$12/0x01",
                "a.B$$Lambda", "a.B");
    }
}
