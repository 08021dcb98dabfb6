package dev.vigil.agent.executors;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

/** What an executor holds now: worker threads, tasks running, tasks queued. */
record ExecutorLoad(int threads, int active, long queued) {

    static ExecutorLoad of(Object executor) {
        if (executor instanceof ThreadPoolExecutor t) {
            return new ExecutorLoad(t.getPoolSize(), t.getActiveCount(), t.getQueue().size());
        }
        if (executor instanceof ForkJoinPool p) {
            return new ExecutorLoad(p.getPoolSize(), p.getActiveThreadCount(),
                    p.getQueuedSubmissionCount() + p.getQueuedTaskCount());
        }
        return new ExecutorLoad(0, 0, 0);
    }
}
