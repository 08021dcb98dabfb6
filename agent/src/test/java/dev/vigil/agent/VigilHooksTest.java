package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vigil.bootstrap.ThreadListener;
import dev.vigil.bootstrap.VigilHooks;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hook contract: nothing escapes, nothing recurses. */
class VigilHooksTest {

    @AfterEach
    void reset() {
        VigilHooks.setThreadListener(null);
    }

    @Test
    void aFailingListenerNeverReachesTheHostAndIsCounted() {
        long before = VigilHooks.internalErrors();
        VigilHooks.setThreadListener(new ThreadListener() {
            @Override
            public void starting(Thread parent, Thread thread) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void startFailed(Thread thread) {
                throw new OutOfMemoryError("simulated");
            }

            @Override
            public void exiting(Thread thread) {
                throw new StackOverflowError();
            }
        });
        Thread t = new Thread(() -> { });
        assertThatCode(() -> {
            VigilHooks.threadStarting(t);
            VigilHooks.threadStartFailed(t);
            VigilHooks.threadExiting(t);
        }).doesNotThrowAnyException();
        assertThat(VigilHooks.internalErrors()).isEqualTo(before + 3);
        assertThat(VigilHooks.insideAgent()).as("the guard is released after a failure").isFalse();
    }

    @Test
    void aHookCalledFromInsideTheAgentDoesNotRecurse() {
        AtomicInteger calls = new AtomicInteger();
        VigilHooks.setThreadListener(new ThreadListener() {
            @Override
            public void starting(Thread parent, Thread thread) {
                calls.incrementAndGet();
                VigilHooks.threadStarting(new Thread(() -> { })); // as if the listener started a thread
            }

            @Override
            public void startFailed(Thread thread) {
            }

            @Override
            public void exiting(Thread thread) {
            }
        });
        VigilHooks.threadStarting(new Thread(() -> { }));
        assertThat(calls).hasValue(1);
    }

    @Test
    void agentThreadsAreNeverSeenByHooks() throws InterruptedException {
        AtomicInteger calls = new AtomicInteger();
        VigilHooks.setThreadListener(new ThreadListener() {
            @Override
            public void starting(Thread parent, Thread thread) {
                calls.incrementAndGet();
            }

            @Override
            public void startFailed(Thread thread) {
            }

            @Override
            public void exiting(Thread thread) {
                calls.incrementAndGet();
            }
        });
        Thread agent = new Thread(() -> {
            VigilHooks.markAgentThread();
            VigilHooks.threadStarting(new Thread(() -> { }));
            VigilHooks.threadExiting(Thread.currentThread());
        });
        agent.start();
        agent.join();
        assertThat(calls).hasValue(0);
    }
}
