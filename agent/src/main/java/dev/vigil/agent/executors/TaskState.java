package dev.vigil.agent.executors;

import java.util.concurrent.Delayed;
import java.util.concurrent.Future;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a queued task object says of itself, asked only of the JDK's own implementations: the
 * agent never calls an application's override ({@code isCancelled}, {@code getDelay}... of a
 * task class the application wrote), which could do anything on a reporting thread. An
 * application class that does not override the method is asked too (the JDK's code runs).
 */
final class TaskState {

    private TaskState() {
    }

    private static final ClassValue<Boolean> CANCELLED = jdkMethod("isCancelled");
    private static final ClassValue<Boolean> PERIODIC = jdkMethod("isPeriodic");
    private static final ClassValue<Boolean> DELAY = jdkMethod("getDelay", TimeUnit.class);

    /** A periodic scheduled task: it never "finishes"; its executor's leak is the finding. */
    static boolean periodic(Object task) {
        return task instanceof RunnableScheduledFuture<?> f && PERIODIC.get(task.getClass()) && f.isPeriodic();
    }

    /** Cancelled on purpose: no work is lost. */
    static boolean cancelled(Object task) {
        return task instanceof Future<?> f && CANCELLED.get(task.getClass()) && f.isCancelled();
    }

    /**
     * A delayed task whose time has not come: a timer that did not fire (Hikari schedules a
     * connection's retirement 30 minutes ahead), not work cut off.
     */
    static boolean notYetDue(Object task) {
        return task instanceof Delayed d && DELAY.get(task.getClass()) && d.getDelay(TimeUnit.NANOSECONDS) > 0;
    }

    private static ClassValue<Boolean> jdkMethod(String name, Class<?>... params) {
        return new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                try {
                    return type.getMethod(name, params).getDeclaringClass().getClassLoader() == null;
                } catch (NoSuchMethodException | SecurityException e) {
                    return false;
                }
            }
        };
    }
}
