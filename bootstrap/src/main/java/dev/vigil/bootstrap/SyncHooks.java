package dev.vigil.bootstrap;

/**
 * Hooks for semaphores, latches, barriers, phasers, conditions and {@code LockSupport.park}, called
 * by the {@link SyncCalls} stand-ins at application call sites. Same rules as {@link VigilHooks}:
 * JDK types only, nothing escapes, re-entry guarded, nothing blocks.
 */
public final class SyncHooks {

    private SyncHooks() {
    }

    private static volatile SyncListener listener;

    public static void setListener(SyncListener l) {
        listener = l;
    }

    // Hot path (uncontended acquire/release in application code), as the lock hooks of
    // VigilHooks: one thread-local lookup per event (the slot carries the re-entry depth and the
    // tracker's per-thread cache), a static final listener, and hooks small enough for C2 to
    // inline into the stand-in together with the tracker's fast path.

    /**
     * The listener as a constant for the two hot hooks (C2 folds a static final). Initialised on
     * the first semaphore event, which the agent makes sure comes after {@link #setListener} (its
     * own preload, before any class is instrumented).
     */
    private static final class ListenerHolder {
        static final SyncListener LISTENER = listener;
    }

    public static void acquired(Object semaphore, int permits, String site) {
        SyncListener l = ListenerHolder.LISTENER;
        if (l == null || semaphore == null) {
            return;
        }
        ThreadSlot s = VigilHooks.currentSlot();
        if (s.depth != 0) {
            return;
        }
        // No guard stores here: the listener's fast path calls nothing that is instrumented, and
        // its slow path enters the guard itself (SyncListener#acquired).
        try {
            l.acquired(s, semaphore, permits, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        }
    }

    public static void released(Object semaphore, int permits, String site) {
        SyncListener l = ListenerHolder.LISTENER;
        if (l == null || semaphore == null) {
            return;
        }
        ThreadSlot s = VigilHooks.currentSlot();
        if (s.depth != 0) {
            return;
        }
        // No guard stores here: the listener's fast path calls nothing that is instrumented, and
        // its slow path enters the guard itself (SyncListener#acquired).
        try {
            l.released(s, semaphore, permits, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        }
    }

    public static void countedDown(Object latch, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.countedDown(latch, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** Returns the token for {@link #waitEnded}, or null when the wait is not tracked. */
    public static Object waitStarting(Object on, int primitive, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return null;
        }
        try {
            return l.waitStarting(on, primitive, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
            return null;
        } finally {
            VigilHooks.leave();
        }
    }

    public static void notified(Object monitor, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.notified(monitor, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void waitEnded(Object token) {
        SyncListener l = listener;
        if (token == null || l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.waitEnded(token);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void synchronizerCreated(Object synchronizer, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.synchronizerCreated(synchronizer, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void phaserEvent(Object phaser, int event, int phase, int parties, String site) {
        SyncListener l = listener;
        if (l == null || phase < 0 || !VigilHooks.enter()) {
            return; // a negative phase: the phaser has terminated
        }
        try {
            l.phaserEvent(phaser, event, phase, parties, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void semaphoreCreated(Object semaphore, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.semaphoreCreated(semaphore, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }
}
