package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.vigil.bootstrap.ThreadListener;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.bootstrap.ThreadSlot;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
        long oomBefore = VigilHooks.outOfMemoryErrors();
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
        assertThat(VigilHooks.internalErrors()).isEqualTo(before + 2);
        assertThat(VigilHooks.outOfMemoryErrors()).as("the host's heap ran out: counted apart").isEqualTo(oomBefore + 1);
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

    // ------------------------------------------------------------ the per-thread slot table

    /** Two threads whose ids share an entry of the slot table (ids 1024 apart). */
    private static Thread[] collidingThreads(Runnable first, Runnable second) {
        Thread a = new Thread(first, "slot-a");
        Thread b = new Thread(second, "slot-b");
        List<Thread> unused = new ArrayList<>(); // ids are handed out at construction
        while ((b.getId() & 1023) != (a.getId() & 1023)) {
            unused.add(b);
            b = new Thread(second, "slot-b");
        }
        return new Thread[] {a, b};
    }

    @Test
    void threadsSharingATableEntryEachKeepTheirOwnSlot() throws Exception {
        CyclicBarrier bothHaveSlots = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Runnable body = () -> {
            try {
                String me = Thread.currentThread().getName();
                ThreadSlot mine = VigilHooks.currentSlot();
                mine.submitSite = me;
                bothHaveSlots.await();
                for (int i = 0; i < 10_000; i++) { // the other thread looks its slot up meanwhile
                    ThreadSlot s = VigilHooks.currentSlot();
                    if (s != mine || !me.equals(s.submitSite)) {
                        throw new AssertionError(me + " got another thread's slot at lookup " + i);
                    }
                }
                bothHaveSlots.await();
                seen.add(me);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
        Thread[] pair = collidingThreads(body, body);
        for (Thread t : pair) {
            t.start();
        }
        for (Thread t : pair) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(seen).containsExactlyInAnyOrder("slot-a", "slot-b");
    }

    @Test
    void aThreadThatEndsLeavesItsSlotToTheCollector() throws Exception {
        AtomicReference<WeakReference<ThreadSlot>> slot = new AtomicReference<>();
        Thread t = new Thread(() -> {
            slot.set(new WeakReference<>(VigilHooks.currentSlot()));
            VigilHooks.threadExiting(Thread.currentThread()); // what the agent's Thread.exit() advice calls
        });
        t.start();
        t.join();
        t = null;
        for (int i = 0; i < 50 && slot.get().get() != null; i++) {
            System.gc();
        }
        assertThat(slot.get().get()).as("the slot of an ended thread").isNull();
    }
}
