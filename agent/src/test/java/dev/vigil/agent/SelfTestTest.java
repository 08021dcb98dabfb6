package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.locks.LockLabels;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadLedger;
import org.junit.jupiter.api.Test;

class SelfTestTest {

    @Test
    void saysWhichHookDidNotFireWhenNothingIsInstrumented() {
        // No agent in this JVM: Thread.start() calls nobody, so the self-test must fail, loudly.
        ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.all()), 64, System::currentTimeMillis);
        LockOrderGraph graph = new LockOrderGraph(new LockLabels(PackageFilter.all()), () -> new Throwable().getStackTrace());
        assertThat(SelfTest.run(ledger, graph)).isEqualTo("failed: the Thread.start() hook did not fire");
    }
}
