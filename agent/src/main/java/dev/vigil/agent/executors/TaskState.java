package dev.vigil.agent.executors;

import dev.vigil.agent.host.JdkMethod;
import java.util.concurrent.Delayed;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a task or future object says of itself, asked only when the answer is the JDK's own code
 * (a {@code FutureTask}, a {@code CompletableFuture}, a scheduler's task, or an application
 * subclass that does not override the method): an application's own {@code Future} may print,
 * lock, block or throw in {@code isDone}, and the agent never runs application code on any of its
 * threads (issue 15). When it cannot ask, the answer is the one that changes nothing: not done,
 * not cancelled, not periodic, due.
 */
final class TaskState {

    private TaskState() {
    }

    private static final JdkMethod IS_DONE = new JdkMethod("isDone");
    private static final JdkMethod IS_CANCELLED = new JdkMethod("isCancelled");
    private static final JdkMethod IS_PERIODIC = new JdkMethod("isPeriodic");
    private static final JdkMethod GET_DELAY = new JdkMethod("getDelay", TimeUnit.class);

    /** Done (completed, failed or cancelled). */
    static boolean done(Object task) {
        return task instanceof Future<?> f && IS_DONE.isJdkCode(f) && f.isDone();
    }

    /** A periodic scheduled task: it never "finishes"; its executor's leak is the finding. */
    static boolean periodic(Object task) {
        return task instanceof RunnableScheduledFuture<?> f && IS_PERIODIC.isJdkCode(f) && f.isPeriodic();
    }

    /** Cancelled on purpose: no work is lost. */
    static boolean cancelled(Object task) {
        return task instanceof Future<?> f && IS_CANCELLED.isJdkCode(f) && f.isCancelled();
    }

    /**
     * A delayed task whose time has not come: a timer that did not fire (Hikari schedules a
     * connection's retirement 30 minutes ahead), not work cut off.
     */
    static boolean notYetDue(Object task) {
        return task instanceof Delayed d && GET_DELAY.isJdkCode(d) && d.getDelay(TimeUnit.NANOSECONDS) > 0;
    }
}
