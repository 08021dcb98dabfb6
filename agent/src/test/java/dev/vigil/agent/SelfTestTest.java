package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.locks.LockLabels;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.permits.SyncTracker;
import dev.vigil.agent.queues.QueueLedger;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.QueueCalls;
import dev.vigil.bootstrap.SyncHooks;
import org.junit.jupiter.api.Test;

class SelfTestTest {

    @Test
    void saysWhichHookDidNotFireWhenNothingIsInstrumented() {
        // No agent in this JVM: Thread.start() calls nobody, so the self-test must fail, loudly.
        ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.all()), 64, System::currentTimeMillis);
        LockOrderGraph graph = new LockOrderGraph(new LockLabels(PackageFilter.all()), () -> new Throwable().getStackTrace());
        assertThat(SelfTest.run(ledger, graph, true)).isEqualTo("failed: the Thread.start() hook did not fire");
    }

    @Test
    void theSynchronizerProbeRunsRewrittenCodeThatReachesTheTrackersAndLeavesNothingBehind() {
        SyncTracker sync = new SyncTracker(System::currentTimeMillis);
        QueueLedger queues = new QueueLedger(System::currentTimeMillis);
        SyncHooks.setListener(sync);
        QueueCalls.setListener(queues);
        try {
            assertThat(SelfTest.probeSynchronizers(sync, queues)).isEqualTo("passed");
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
        assertThat(SelfTest.probeSynchronizers(sync, queues)).isEqualTo("failed: the semaphore hooks did not fire");
        SyncHooks.setListener(sync);
        try {
            assertThat(SelfTest.probeSynchronizers(sync, queues)).startsWith("failed: the queue hooks did not fire");
        } finally {
            SyncHooks.setListener(null);
        }
    }
}
