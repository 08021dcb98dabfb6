package dev.vigil.bootstrap;

/**
 * Hooks for executors, tasks and futures, called from instrumented {@code java.util.concurrent}
 * classes. Same contract as {@link VigilHooks}: bootstrap class path, JDK types only, re-entry
 * guarded, no exception escapes, nothing blocks.
 */
public final class ExecutorHooks {

    private ExecutorHooks() {
    }

    private static volatile ExecutorListener listener;

    /**
     * Failures not yet observed. Every {@code get()}, {@code join()} and {@code thenApply(...)}
     * calls {@link #futureObserved}: while this is zero, that hook returns after one volatile read.
     */
    private static volatile int pendingFailures;

    public static void setListener(ExecutorListener l) {
        listener = l;
    }

    public static void pendingFailures(int n) {
        pendingFailures = n;
    }

    public static void executorCreated(Object executor) {
        ExecutorListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.executorCreated(executor);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void executorShutdown(Object executor) {
        ExecutorListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.executorShutdown(executor);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void taskSubmitted(Object executor, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.taskSubmitted(executor, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void taskRejected(Object executor, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.taskRejected(executor, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void taskStarted(Object executor, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.taskStarted(executor, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void taskFinished(Object executor, Object task, Throwable thrown) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.taskFinished(executor, task, thrown);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void futureFailed(Object future, Throwable failure, boolean waitedOn) {
        ExecutorListener l = listener;
        if (l == null || failure == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.futureFailed(future, failure, waitedOn);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void futureObserved(Object future) {
        if (pendingFailures == 0) {
            return;
        }
        ExecutorListener l = listener;
        if (l == null || future == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.futureObserved(future);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }
}
