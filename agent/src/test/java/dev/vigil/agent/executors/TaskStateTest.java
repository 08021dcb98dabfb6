package dev.vigil.agent.executors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TaskStateTest {

    /** An application's task that overrides what the agent would ask: never called. */
    static final class Hostile extends FutureTask<Void> {
        Hostile() {
            super(() -> null);
        }

        @Override
        public boolean isCancelled() {
            throw new AssertionError("the agent called an application's isCancelled");
        }

        @Override
        public boolean isDone() {
            throw new AssertionError("the agent called an application's isDone");
        }
    }

    /** An application's task that overrides nothing: the JDK's code answers. */
    static final class Quiet extends FutureTask<Void> {
        Quiet() {
            super(() -> null);
        }
    }

    @Test
    void asksTheJdksOwnTasksOnly() {
        Hostile hostile = new Hostile();
        hostile.run();
        assertThat(TaskState.cancelled(hostile)).isFalse();
        assertThat(TaskState.done(hostile)).as("not asked: the answer that changes nothing").isFalse();
        Quiet quiet = new Quiet();
        assertThat(TaskState.done(quiet)).isFalse();
        quiet.run();
        assertThat(TaskState.done(quiet)).isTrue();
        FutureTask<Void> plain = new FutureTask<>(() -> null);
        plain.cancel(false);
        assertThat(TaskState.cancelled(plain)).isTrue();
        assertThat(TaskState.periodic(plain)).isFalse();
        assertThat(TaskState.notYetDue(plain)).isFalse();
    }

    @Test
    void aDelayedTaskNotYetDueIsATimerAndAPeriodicOneIsPeriodic() throws InterruptedException {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
        try {
            ScheduledFuture<?> later = s.schedule(() -> { }, 30, TimeUnit.MINUTES);
            ScheduledFuture<?> beat = s.scheduleAtFixedRate(() -> { }, 30, 30, TimeUnit.MINUTES);
            assertThat(TaskState.notYetDue(later)).isTrue();
            assertThat(TaskState.periodic(later)).isFalse();
            assertThat(TaskState.periodic(beat)).isTrue();
        } finally {
            s.shutdownNow();
            s.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
