package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.executors.ExecutorLedger;
import dev.vigil.agent.locks.LockLabels;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.permits.SyncTracker;
import dev.vigil.agent.queues.QueueLedger;
import dev.vigil.agent.findings.SelfTestResult;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.QueueCalls;
import dev.vigil.bootstrap.SyncHooks;
import org.junit.jupiter.api.Test;

class SelfTestTest {

    @Test
    void saysWhichHookDidNotFireWhenNothingIsInstrumented() {
        // No agent in this JVM: Thread.start() calls nobody, so the self-test must fail, loudly.
        ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.all()), 64, System::currentTimeMillis);
        ExecutorLedger executors = new ExecutorLedger(new StackFrames(PackageFilter.all()), System::currentTimeMillis);
        LockOrderGraph graph = new LockOrderGraph(new LockLabels(PackageFilter.all()), () -> new Throwable().getStackTrace());
        SyncTracker sync = new SyncTracker(System::currentTimeMillis);
        QueueLedger queues = new QueueLedger(System::currentTimeMillis);
        SelfTestResult result = SelfTest.run(ledger, executors, graph, sync, queues, true);
        assertThat(result.passed()).isFalse();
        assertThat(result.describe()).isEqualTo("failed: the Thread.start() hook did not fire");
    }

    @Test
    void theExecutorProbeIsSeenThroughTheLedgersHooksAndNeverBecomesAnEntry() {
        // The hooks' calls as the instrumented ThreadPoolExecutor and FutureTask make them.
        ExecutorLedger executors = new ExecutorLedger(new StackFrames(PackageFilter.all()), System::currentTimeMillis);
        Object pool = new Object();
        Object task = new Object();
        Object future = new Object();
        executors.expectSelfTest(Thread.currentThread());
        executors.executorCreated(pool);
        executors.taskSubmitted(pool, task);
        executors.taskStarted(pool, task);
        executors.taskFinished(pool, task, null);
        assertThat(executors.selfTestSeen()).as("no shutdown, no wait yet")
                .isEqualTo(ExecutorLedger.PROBE_CREATED | ExecutorLedger.PROBE_SUBMITTED | ExecutorLedger.PROBE_STARTED
                        | ExecutorLedger.PROBE_FINISHED);
        executors.expectSelfTestWait(future);
        executors.futureWaitEnded(executors.futureWaitStarted(new Object()));
        assertThat(executors.selfTestSeen() & ExecutorLedger.PROBE_WAITED).as("another future").isZero();
        executors.futureWaitEnded(executors.futureWaitStarted(future));
        executors.executorShutdown(pool);
        assertThat(executors.selfTestSeen()).isEqualTo(0b11_1111);
        executors.selfTestDone();
        assertThat(executors.summaries()).isEmpty();
        assertThat(executors.taskLifetimes()).isEmpty();

        // Once done, a pool the same thread creates is judged like any other (here: no application frame, the JDK's).
        executors.executorCreated(new Object());
        assertThat(executors.selfTestSeen()).isEqualTo(0b11_1111);
    }

    @Test
    void theSynchronizerProbeRunsRewrittenCodeThatReachesTheTrackersAndLeavesNothingBehind() {
        SyncTracker sync = new SyncTracker(System::currentTimeMillis);
        QueueLedger queues = new QueueLedger(System::currentTimeMillis);
        SyncHooks.setListener(sync);
        QueueCalls.setListener(queues);
        try {
            assertThat(SelfTest.probeSynchronizers(sync, queues)).as("no failure").isNull();
            assertThat(sync.summaries()).as("the probe's semaphore is forgotten").isEmpty();
        } finally {
            SyncHooks.setListener(null);
            QueueCalls.setListener(null);
        }
    }

    @Test
    void theSynchronizerProbeSaysWhichHookDidNotFire() {
        // Listeners not set: the rewritten calls run, but no tracker hears of them.
        SyncTracker sync = new SyncTracker(System::currentTimeMillis);
        QueueLedger queues = new QueueLedger(System::currentTimeMillis);
        assertThat(SelfTest.probeSynchronizers(sync, queues)).isEqualTo("the semaphore hooks did not fire");
        SyncHooks.setListener(sync);
        try {
            assertThat(SelfTest.probeSynchronizers(sync, queues)).startsWith("the queue hooks did not fire");
        } finally {
            SyncHooks.setListener(null);
        }
    }
}
