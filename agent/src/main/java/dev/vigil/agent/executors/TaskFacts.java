package dev.vigil.agent.executors;

import dev.vigil.agent.host.JdkMethod;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * A task's or future's state, asked only when the answer is the JDK's own code (a
 * {@code FutureTask}, a {@code CompletableFuture}...): an application's own {@code Future} may
 * print, lock or block in {@code isDone}, and the agent never runs application code (issue 15).
 * When it cannot ask, the answer is the one that changes nothing: not done, not cancelled, not periodic.
 */
final class TaskFacts {

    private static final JdkMethod IS_DONE = new JdkMethod("isDone");
    private static final JdkMethod IS_CANCELLED = new JdkMethod("isCancelled");
    private static final JdkMethod IS_PERIODIC = new JdkMethod("isPeriodic");

    private TaskFacts() {
    }

    static boolean done(Object task) {
        return task instanceof Future<?> f && IS_DONE.isJdkCode(f) && f.isDone();
    }

    static boolean cancelled(Object task) {
        return task instanceof Future<?> f && IS_CANCELLED.isJdkCode(f) && f.isCancelled();
    }

    static boolean periodic(Object task) {
        return task instanceof RunnableScheduledFuture<?> f && IS_PERIODIC.isJdkCode(f) && f.isPeriodic();
    }
}
