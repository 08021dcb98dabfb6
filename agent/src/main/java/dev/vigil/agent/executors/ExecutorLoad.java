package dev.vigil.agent.executors;

import dev.vigil.agent.host.JdkMethod;
import dev.vigil.bootstrap.JdkFields;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * What an executor holds now: worker threads, tasks running, tasks queued; -1 for a figure that
 * cannot be read without running application code.
 *
 * <p>Never through the pool's public getters (issue 15): {@code ThreadPoolExecutor.getPoolSize}
 * and {@code getActiveCount} take the pool's {@code mainLock}, which a worker exiting through
 * {@code terminated()} holds while the shutdown hooks run (the exit report waited for ever), and
 * an application subclass may override any of them. A {@code ThreadPoolExecutor}'s figures are
 * read from its fields ({@link JdkFields}), its queue's size only when that is the JDK's own
 * {@code size()}; a {@code ForkJoinPool}'s (whose getters take no lock) only when not overridden.
 */
record ExecutorLoad(int threads, int active, long queued) {

    private static final JdkMethod QUEUE_SIZE = new JdkMethod("size");
    private static final JdkMethod FJ_POOL_SIZE = new JdkMethod("getPoolSize");
    private static final JdkMethod FJ_ACTIVE = new JdkMethod("getActiveThreadCount");
    private static final JdkMethod FJ_SUBMISSIONS = new JdkMethod("getQueuedSubmissionCount");
    private static final JdkMethod FJ_TASKS = new JdkMethod("getQueuedTaskCount");

    static ExecutorLoad of(Object executor) {
        if (executor instanceof ThreadPoolExecutor t) {
            BlockingQueue<?> q = JdkFields.queue(t);
            long queued = q != null && QUEUE_SIZE.isJdkCode(q) ? q.size() : -1;
            return new ExecutorLoad(JdkFields.poolSize(t), JdkFields.activeCount(t), queued);
        }
        if (executor instanceof ForkJoinPool p) {
            return new ExecutorLoad(FJ_POOL_SIZE.isJdkCode(p) ? p.getPoolSize() : -1,
                    FJ_ACTIVE.isJdkCode(p) ? p.getActiveThreadCount() : -1,
                    FJ_SUBMISSIONS.isJdkCode(p) && FJ_TASKS.isJdkCode(p)
                            ? p.getQueuedSubmissionCount() + p.getQueuedTaskCount() : -1);
        }
        return new ExecutorLoad(0, 0, 0);
    }

    /** The pool's maximum size, read without a getter; -1 when unknown or not a {@code ThreadPoolExecutor}. */
    static int maximumPoolSize(Object executor) {
        return executor instanceof ThreadPoolExecutor t ? JdkFields.maximumPoolSize(t) : -1;
    }
}
