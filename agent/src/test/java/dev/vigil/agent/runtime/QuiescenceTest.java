package dev.vigil.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.app.AppCode;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog's verdict on threads left after main returned, with real threads started from application code. */
class QuiescenceTest {

    private final ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.of("com.example.*", "")), 64,
            System::currentTimeMillis);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> started = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        for (Thread t : started) {
            t.interrupt();
            t.join();
        }
    }

    private Thread start(String name, boolean daemon, Runnable body, Thread.State settled) {
        Thread t = new Thread(body, name);
        t.setDaemon(daemon);
        AppCode.start(ledger, t);
        started.add(t);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (t.getState() != settled) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " never reached " + settled + ": " + t.getState());
            }
            Thread.onSpinWait();
        }
        return t;
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Quiescence quiescence() {
        Quiescence q = new Quiescence(ledger);
        q.managementReady();
        return q;
    }

    private Quiescence.Verdict afterWindow(Quiescence q) {
        Quiescence.Verdict v = null;
        for (int i = 0; i < Quiescence.SAMPLES; i++) {
            v = q.sample();
        }
        return v;
    }

    @Test
    void nonDaemonThreadsThatWaitForEverWithNothingElseMovingAreStuck() {
        start("waiter", false, this::awaitRelease, Thread.State.WAITING);
        start("sleepy-daemon", true, () -> sleep(60_000), Thread.State.TIMED_WAITING);
        Quiescence q = quiescence();
        for (int i = 1; i < Quiescence.SAMPLES; i++) {
            assertThat(q.sample()).as("sample " + i).isEqualTo(Quiescence.Verdict.UNDECIDED);
        }
        assertThat(q.sample()).isEqualTo(Quiescence.Verdict.STUCK);
    }

    @Test
    void aNonDaemonThreadInATimedWaitIsAKeepAliveAndARunnableOneMoves() {
        start("waiter", false, this::awaitRelease, Thread.State.WAITING);
        start("container-0", false, () -> sleep(60_000), Thread.State.TIMED_WAITING);
        assertThat(afterWindow(quiescence())).isEqualTo(Quiescence.Verdict.MOVING);
    }

    @Test
    void aRunnableDaemonThreadMovesToo() {
        start("waiter", false, this::awaitRelease, Thread.State.WAITING);
        start("spinning-daemon", true, () -> {
            while (release.getCount() > 0 && !Thread.currentThread().isInterrupted()) {
                Thread.onSpinWait();
            }
        }, Thread.State.RUNNABLE);
        assertThat(afterWindow(quiescence())).isEqualTo(Quiescence.Verdict.MOVING);
    }

    @Test
    void aWaiterWokenBetweenSamplesMoves() throws InterruptedException {
        LinkedBlockingQueue<Integer> items = new LinkedBlockingQueue<>();
        start("consumer", false, () -> {
            try {
                while (true) {
                    items.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, Thread.State.WAITING);
        Quiescence q = quiescence();
        assertThat(q.sample()).isEqualTo(Quiescence.Verdict.UNDECIDED);
        items.put(1);
        Thread consumer = started.get(0);
        while (!items.isEmpty() || consumer.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertThat(q.sample()).as("same place, but it waited once more").isEqualTo(Quiescence.Verdict.MOVING);
    }

    @Test
    void noVerdictBeforeTheJvmsManagementIsUp() {
        start("waiter", false, this::awaitRelease, Thread.State.WAITING);
        Quiescence q = new Quiescence(ledger);
        for (int i = 0; i < 2 * Quiescence.SAMPLES; i++) {
            assertThat(q.sample()).isEqualTo(Quiescence.Verdict.UNDECIDED);
        }
        q.managementReady();
        assertThat(afterWindow(q)).isEqualTo(Quiescence.Verdict.STUCK);
    }

    @Test
    void noNonDaemonApplicationThreadIsNone() {
        start("daemon-waiter", true, this::awaitRelease, Thread.State.WAITING);
        assertThat(quiescence().sample()).isEqualTo(Quiescence.Verdict.NONE);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
