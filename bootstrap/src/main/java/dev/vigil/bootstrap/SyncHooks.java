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

    public static void acquired(Object semaphore, int permits, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.acquired(semaphore, permits, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void released(Object semaphore, int permits, String site) {
        SyncListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.released(semaphore, permits, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
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
}
