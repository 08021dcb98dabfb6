package dev.vigil.agent.runtime;

import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.VigilHooks;

/**
 * Creates Vigil's own threads. Each is recorded as {@code vigil} in the ledger and marked so that
 * no hook ever tracks what it does: the agent's own locks and threads never become findings.
 */
public final class AgentThreads {

    private final ThreadLedger ledger;

    public AgentThreads(ThreadLedger ledger) {
        this.ledger = ledger;
    }

    /**
     * Told of every {@link OutOfMemoryError} an agent thread catches (the heap is the host's: the
     * agent sheds its own state, {@link MemoryGovernor#pressure}). Runs on the thread that caught it.
     */
    private static volatile Runnable onOutOfMemory = () -> { };

    /** Before a watch loop that ran out of memory starts again. */
    static final long RESTART_MILLIS = 1_000;

    public static void onOutOfMemory(Runnable r) {
        onOutOfMemory = r;
    }

    /**
     * A daemon thread, not yet started, that runs {@code body} once as an agent thread. An
     * {@link OutOfMemoryError} ends it quietly (counted): never a trace on the host's stderr.
     */
    public Thread newThread(String name, Runnable body) {
        return thread(name, body, false);
    }

    /**
     * A daemon thread for a watch loop: when {@code body} ends with an {@link OutOfMemoryError}
     * (counted), it runs again a second later, so that a tight heap does not silently stop a watch.
     * The loop keeps its state in fields; {@code body} returning ends the thread.
     */
    public Thread newLoop(String name, Runnable body) {
        return thread(name, body, true);
    }

    private Thread thread(String name, Runnable body, boolean restart) {
        Thread t = new Thread(new Marked(body, restart), name);
        t.setDaemon(true);
        ledger.recordAgentThread(t);
        return t;
    }

    /** Starts an agent thread without the start hook recording it a second time. */
    public static void start(Thread t) {
        boolean entered = VigilHooks.enter();
        try {
            t.start();
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
    }

    private static final class Marked implements Runnable {
        private final Runnable body;
        private final boolean restart;

        Marked(Runnable body, boolean restart) {
            this.body = body;
            this.restart = restart;
        }

        @Override
        public void run() {
            VigilHooks.markAgentThread();
            while (true) {
                try {
                    body.run();
                    return;
                } catch (OutOfMemoryError e) {
                    outOfMemory();
                    if (!restart || !pause()) {
                        return;
                    }
                }
            }
        }

        private static void outOfMemory() {
            try {
                onOutOfMemory.run();
            } catch (OutOfMemoryError | RuntimeException again) {
                // Nothing more can be done here; the next watch loop tries again.
            }
        }

        private static boolean pause() {
            try {
                Thread.sleep(RESTART_MILLIS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
