package dev.vigil.agent.instrument;

import static dev.vigil.agent.instrument.ExecutorSiteVisitor.submits;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which application calls carry their site constant to the task ledger. */
class ExecutorSiteVisitorTest {

    @Test
    void callsThatHandWorkToAnExecutorAreBracketed() {
        assertThat(submits("java/util/concurrent/ExecutorService", "submit")).isTrue();
        assertThat(submits("java/util/concurrent/Executor", "execute")).isTrue();
        assertThat(submits("java/util/concurrent/ScheduledExecutorService", "scheduleAtFixedRate")).isTrue();
        assertThat(submits("java/util/concurrent/ThreadPoolExecutor", "invokeAll")).isTrue();
        assertThat(submits("java/util/concurrent/ForkJoinPool", "submit")).isTrue();
        assertThat(submits("java/util/concurrent/CompletableFuture", "supplyAsync")).isTrue();
        assertThat(submits("java/util/concurrent/CompletableFuture", "thenApplyAsync")).isTrue();
    }

    @Test
    void otherCallsAreLeftAlone() {
        assertThat(submits("java/util/concurrent/ExecutorService", "shutdown")).isFalse();
        assertThat(submits("java/util/concurrent/CompletableFuture", "thenApply")).isFalse();
        assertThat(submits("java/util/concurrent/CompletableFuture", "join")).isFalse();
        assertThat(submits("com/example/MyExecutor", "submit")).as("unknown types: the stack is walked").isFalse();
    }
}
