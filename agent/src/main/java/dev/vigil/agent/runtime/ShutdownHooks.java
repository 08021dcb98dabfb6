package dev.vigil.agent.runtime;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.threads.JdkThreads;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.agent.threads.ThreadOrigin;

/**
 * The other shutdown hooks running while the JVM exits. On SIGTERM, {@code System.exit} or the
 * last thread ending, the JDK starts every registered hook at once ({@code ApplicationShutdownHooks}),
 * Vigil's among them: judged at once, the exit report would race the application's own close
 * (Spring's context closing its pools, Tomcat stopping its threads) and call "never shut down"
 * what the application is shutting down that very moment. So the exit report is judged after the
 * application's hooks have ended, or after {@link #APPLICATION_HOOKS_MILLIS} (never longer: a hook
 * that hangs must not hang the exit), whichever comes first (docs/lifecycle.md).
 */
public final class ShutdownHooks {

    /** The longest the exit report waits for the application's hooks, counted from the first wait. */
    static final long APPLICATION_HOOKS_MILLIS = 5_000;

    private final ThreadLedger ledger;
    private final Object lock = new Object();
    private long deadlineNanos;

    public ShutdownHooks(ThreadLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Waits until the application's shutdown hooks have ended (hook threads other than the calling
     * one, Vigil's own and the JDK's own: JFR's, which itself waits here from its end-of-chunk
     * event, and {@code java.util.logging}'s), at most until a deadline set by the first call.
     */
    public void awaitApplicationHooks() {
        long deadline;
        synchronized (lock) {
            if (deadlineNanos == 0) {
                deadlineNanos = System.nanoTime() + APPLICATION_HOOKS_MILLIS * 1_000_000;
            }
            deadline = deadlineNanos;
        }
        await(deadline, false);
    }

    /** Waits for every other hook, the JDK's included, until {@code deadline} ({@link System#nanoTime}). */
    void awaitAll(long deadline) {
        await(deadline, true);
    }

    private void await(long deadline, boolean jdkHooksToo) {
        awaitHooksStarted(deadline);
        for (ThreadEntry e : ledger.live()) {
            Thread t = e.thread();
            if (t == null || t == Thread.currentThread() || !isHook(e) || !jdkHooksToo && isJdkHook(e, t)) {
                continue;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return;
            }
            try {
                t.join(left);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The hooks start one after the other, Vigil's possibly first: the thread running
     * {@code ApplicationShutdownHooks.runHooks} starts them all, then joins them. Until it joins,
     * a hook may not be started yet. Threads are enumerated through the root thread group (an
     * array: a map keyed by thread would call an application's {@code Thread.hashCode}).
     */
    private static void awaitHooksStarted(long deadline) {
        while (System.nanoTime() < deadline) {
            Thread starter = null;
            boolean joining = false;
            for (Thread t : allThreads()) {
                boolean runsHooks = false;
                boolean joins = false;
                for (StackTraceElement f : ThreadFacts.stack(t)) {
                    runsHooks |= "java.lang.ApplicationShutdownHooks".equals(f.getClassName()) && "runHooks".equals(f.getMethodName());
                    joins |= "java.lang.Thread".equals(f.getClassName()) && f.getMethodName().startsWith("join");
                }
                if (runsHooks) {
                    starter = t;
                    joining = joins;
                    break;
                }
            }
            if (starter == null || joining) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Thread[] allThreads() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        return java.util.Arrays.copyOf(all, n);
    }

    /** A shutdown hook started by the JVM's exit (Vigil's own has no start site: it is never one). */
    /** Whether {@code e} is a shutdown hook's thread (started by the JDK's hook runner), not Vigil's. */
    public static boolean isHook(ThreadEntry e) {
        return e.origin() != ThreadOrigin.VIGIL && e.startSite() != null
                && JdkThreads.isShutdownHook(e.startSite().site().frames());
    }

    private static boolean isJdkHook(ThreadEntry e, Thread t) {
        // JFR registers its hook as a plain Thread named so; java.util.logging's is its own class.
        return "JFR Shutdown Hook".equals(e.name()) || t.getClass().getName().startsWith("java.util.logging.");
    }
}
