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

    /** A daemon thread, not yet started, that runs {@code body} as an agent thread. */
    public Thread newThread(String name, Runnable body) {
        Thread t = new Thread(new Marked(body), name);
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

        Marked(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            VigilHooks.markAgentThread();
            body.run();
        }
    }
}
