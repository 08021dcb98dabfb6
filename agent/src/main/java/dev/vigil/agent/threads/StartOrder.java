package dev.vigil.agent.threads;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A global order of thread starts and of the events compared with them (a latch's creation):
 * "started after the latch was created" must not depend on two clock readings in one millisecond.
 */
public final class StartOrder {

    private static final AtomicLong NEXT = new AtomicLong();

    private StartOrder() {
    }

    /** The next position: later than every position handed out before, on any thread. */
    public static long next() {
        return NEXT.incrementAndGet();
    }
}
