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

    /**
     * Tasks submitted to application {@code ForkJoinPool}s from outside and not yet finished. Every
     * {@code ForkJoinTask.doExec} (parallel streams included) calls {@link #forkJoinTaskRunning}:
     * while this is zero, that hook returns after one volatile read.
     */
    private static volatile int openForkJoinTasks;

    public static void openForkJoinTasks(int n) {
        openForkJoinTasks = n;
    }

    public static void setListener(ExecutorListener l) {
        listener = l;
    }

    public static void pendingFailures(int n) {
        pendingFailures = n;
    }

    /** The application is about to call an executor method at {@code site} (a constant). */
    public static void submitSite(String site) {
        VigilHooks.currentSlot().submitSite = site;
    }

    /** The executor call returned. (If it threw, the site stays until the next call or a rejection.) */
    public static void submitSiteDone() {
        VigilHooks.currentSlot().submitSite = null;
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

    /** Entry of {@code shutdownNow()}: see {@link ExecutorListener#executorStoppedNow}. */
    public static void executorShutdownNow(Object executor) {
        ExecutorListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.executorStoppedNow(executor);
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

    /** {@code tasks}: the JDK's own list that {@code ThreadPoolExecutor.drainQueue} returns. */
    public static void tasksDrained(Object executor, java.util.List<?> tasks) {
        ExecutorListener l = listener;
        if (l == null || tasks == null || tasks.isEmpty() || !VigilHooks.enter()) {
            return;
        }
        try {
            l.tasksDrained(executor, tasks);
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

    // A ThreadPoolExecutor worker's run loop, seen from code no subclass can override: the final
    // Worker.run() (which runs its first task, then asks getTask() for each next one) and the
    // private getTask(). beforeExecute/afterExecute are not used: since Spring 6.1,
    // ThreadPoolTaskExecutor's pool overrides them without calling super, and its tasks seemed
    // never to start or end (issue 14).

    /** {@code ThreadPoolExecutor$Worker.run()} starts on the worker thread; it runs {@code firstTask} (or null) first. */
    public static void workerStarting(Object executor, Object firstTask) {
        ExecutorListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.workerStarted(executor);
            if (firstTask != null) {
                VigilHooks.currentSlot().workerTask = firstTask;
                l.taskStarted(executor, firstTask);
            }
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** The worker asks for its next task ({@code getTask()} entry): the one it ran, if any, is over. */
    public static void workerTaskDone(Object executor) {
        finishWorkerTask(executor, null);
    }

    /** {@code ThreadPerTaskExecutor.newThread(Runnable)} entry: a task is submitted and gets a thread now. */
    public static void perTaskSubmitted(Object executor, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.perTaskSubmitted(executor, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** {@code ThreadPerTaskExecutor.start(Thread)} entry: the task's thread starts. */
    public static void perTaskThreadStarting(Object executor, Thread thread) {
        ExecutorListener l = listener;
        if (l == null || thread == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.perTaskThreadStarting(executor, thread);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** {@code ThreadPerTaskExecutor.taskComplete(Thread)} entry: the thread's task is over. */
    public static void perTaskDone(Object executor, Thread thread) {
        ExecutorListener l = listener;
        if (l == null || thread == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.perTaskDone(executor, thread);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** {@code getTask()} returned {@code task} (null: the worker ends): the worker runs it now. */
    public static void workerTaskTaken(Object executor, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            VigilHooks.currentSlot().workerTask = task;
            l.taskStarted(executor, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** {@code Worker.run()} returns or throws ({@code thrown}: what the last task threw). */
    public static void workerEnding(Object executor, Throwable thrown) {
        finishWorkerTask(executor, thrown);
        ExecutorListener l = listener;
        if (l == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.workerEnded(executor);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    private static void finishWorkerTask(Object executor, Throwable thrown) {
        ThreadSlot s = VigilHooks.currentSlot();
        Object task = s.workerTask;
        if (task == null) {
            return;
        }
        s.workerTask = null;
        taskFinished(executor, task, thrown);
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

    /** {@code FutureTask.get} entry: a wait to follow when the task's {@code state} is NEW or COMPLETING. */
    public static Object futureTaskWaitStarted(Object task, int state) {
        return state <= 1 ? futureWaitStarted(task) : null;
    }

    /** {@code ForkJoinTask.awaitDone} entry: a wait to follow when the task is not done ({@code status >= 0}). */
    public static Object forkJoinWaitStarted(Object task, int status) {
        return status >= 0 ? futureWaitStarted(task) : null;
    }

    /** {@code CompletableFuture.get/join} entry: a wait to follow when the future has no {@code result} yet. */
    public static Object completableWaitStarted(Object future, Object result) {
        return result == null ? futureWaitStarted(future) : null;
    }

    /**
     * {@code FutureTask.setException} entry. Only a task still NEW ({@code state} 0) fails: one
     * cancelled while it ran ignores the exception it then throws. A thread blocked in
     * {@code get()} ({@code waiters}) is already waiting: that failure will be read.
     */
    public static void futureTaskFailed(Object task, Throwable failure, Object waiters, int state) {
        if (state == 0) {
            futureFailed(task, failure, waiters != null);
        }
    }

    /**
     * {@code CompletableFuture.completeThrowable/completeExceptionally} entry. Only the first
     * completion counts ({@code result} still null); a dependent stage or a waiting reader already on
     * the {@code stack} will receive the failure.
     */
    public static void completableFailed(Object future, Throwable failure, Object result, Object stack) {
        if (result == null) {
            futureFailed(future, failure, stack != null);
        }
    }

    /** {@code CompletableFuture.allOf/anyOf(futures)} returned or threw: each of them was observed. */
    public static void futuresObserved(Object futures) {
        if (futures instanceof Object[] all) {
            for (Object f : all) {
                futureObserved(f);
            }
        }
    }

    /**
     * A thread is about to block on {@code future}, not yet done. Hot (every such {@code get()},
     * {@code join()}, and a fork/join worker's joins): one thread-local lookup, then the listener
     * writes into the thread's own record. Returns the listener's token for {@link #futureWaitEnded},
     * or null.
     */
    public static Object futureWaitStarted(Object future) {
        ExecutorListener l = listener;
        if (l == null || future == null) {
            return null;
        }
        ThreadSlot s = VigilHooks.currentSlot();
        if (s.depth != 0) {
            return null;
        }
        s.depth = 1;
        try {
            return l.futureWaitStarted(s, future);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
            return null;
        } finally {
            s.depth = 0;
        }
    }

    /**
     * The wait of {@code token} is over. No re-entry guard (no thread-local lookup): the listener
     * touches only the waiting thread's own record and, rarely, reads {@code isDone()}.
     */
    public static void futureWaitEnded(Object token) {
        ExecutorListener l = listener;
        if (l == null || token == null) {
            return;
        }
        try {
            l.futureWaitEnded(token);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        }
    }

    /** Application code just created {@code future} at {@code site} ({@code new CompletableFuture}, {@code supplyAsync}...). */
    public static void created(Object future, String site) {
        ExecutorListener l = listener;
        if (l == null || future == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.futureCreated(future, site);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    public static void forkJoinSubmitted(Object pool, Object task) {
        ExecutorListener l = listener;
        if (l == null || task == null || !VigilHooks.enter()) {
            return;
        }
        try {
            l.forkJoinSubmitted(pool, task);
        } catch (Throwable t) {
            VigilHooks.internalError(t);
        } finally {
            VigilHooks.leave();
        }
    }

    /** A {@code ForkJoinTask} starts ({@code thrown} unused) or ends running on a pool's worker. */
    public static void forkJoinTaskRunning(Object task, boolean starting, Throwable thrown) {
        if (openForkJoinTasks == 0) {
            return;
        }
        if (starting) {
            taskStarted(null, task);
        } else {
            taskFinished(null, task, thrown);
        }
    }
}
