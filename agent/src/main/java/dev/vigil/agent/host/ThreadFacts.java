package dev.vigil.agent.host;

import dev.vigil.bootstrap.JdkFields;
import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * A thread's id, state and stack, read without running an application subclass's overrides of
 * {@code getId}, {@code getState} or {@code getStackTrace} (issue 15): for a thread whose class
 * overrides one of them, {@code Thread}'s own method is invoked non-virtually ({@link JdkFields});
 * if that could not be bound at start-up (said in the report), the thread's method is called.
 * ({@code getName}, {@code isAlive}, {@code isDaemon} are final and safe to call.)
 */
public final class ThreadFacts {

    private static final JdkMethod GET_ID = new JdkMethod("getId");
    private static final JdkMethod GET_STATE = new JdkMethod("getState");
    private static final JdkMethod GET_STACK_TRACE = new JdkMethod("getStackTrace");

    private ThreadFacts() {
    }

    /**
     * Opens {@code java.lang} and {@code java.util.concurrent} to the hook classes' module (the
     * bootstrap loader's unnamed module, not the application's) and binds {@link JdkFields}.
     * Returns null, or why the JDK fields cannot be read (the readers then say "unknown").
     */
    public static String open(Instrumentation inst) {
        try {
            Module hooks = JdkFields.class.getModule();
            inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.lang", Set.of(hooks), "java.util.concurrent", Set.of(hooks),
                            "java.util.concurrent.locks", Set.of(hooks)), Set.of(), Map.of());
            return JdkFields.bind();
        } catch (RuntimeException e) {
            return e.toString();
        }
    }

    private static final JdkMethod GET_POOL = new JdkMethod("getPool");

    /** {@code w.getPool()} as the JDK defines it; null when it cannot be read without the override. */
    public static java.util.concurrent.ForkJoinPool pool(java.util.concurrent.ForkJoinWorkerThread w) {
        if (w.getClass().getClassLoader() == null || GET_POOL.isJdkCode(w)) {
            return w.getPool();
        }
        return JdkFields.forkJoinPool(w);
    }

    /** {@code t.getId()} as the JDK defines it. */
    public static long id(Thread t) {
        if (t.getClass() == Thread.class || GET_ID.isJdkCode(t) || !JdkFields.threadsBound()) {
            return t.getId();
        }
        try {
            return JdkFields.threadId(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A virtual thread (JDK 21+; {@code Thread.isVirtual()} is not in 17's API). Both classes
     * are final, so no application subclass can take the name.
     */
    public static boolean isVirtual(Thread t) {
        String c = t.getClass().getName();
        return c.equals("java.lang.VirtualThread") || c.equals("java.lang.ThreadBuilders$BoundVirtualThread");
    }

    /**
     * {@code t}'s name ({@code getName} is final), or {@code virtual-<id>} for an unnamed virtual
     * thread, as the JDK's thread dumps number them: most virtual threads have no name.
     */
    public static String name(Thread t) {
        String n = t.getName();
        return n.isEmpty() && isVirtual(t) ? "virtual-" + id(t) : n;
    }

    /** {@code t.getState()} as the JDK defines it. */
    public static Thread.State state(Thread t) {
        if (t.getClass() == Thread.class || GET_STATE.isJdkCode(t) || !JdkFields.threadsBound()) {
            return t.getState();
        }
        try {
            return JdkFields.threadState(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code t.getStackTrace()} as the JDK defines it. */
    public static StackTraceElement[] stack(Thread t) {
        if (t.getClass() == Thread.class || GET_STACK_TRACE.isJdkCode(t) || !JdkFields.threadsBound()) {
            return t.getStackTrace();
        }
        try {
            return JdkFields.threadStack(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
