package dev.vigil.agent.stack;

import dev.vigil.report.model.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Tells a pool's worker waiting for its next task from a thread stuck inside one. Every pool's
 * threads wait between tasks, for as long as the service is idle: Jetty's {@code QueuedThreadPool}
 * workers in {@code idleJobPoll}, its reserved threads in {@code ReservedThreadExecutor}, Tomcat's
 * in its own {@code ThreadPoolExecutor.getTask}. None of that is a stuck wait or an orphaned
 * queue; the pool's own lifetime is the executor detectors' to judge.
 *
 * <p>The rule, on the waiting thread's stack from the wait outward (JDK and Vigil frames left
 * out): within the first {@value #MAX_DEPTH} frames, a method of a class that implements
 * {@link Executor} (or is nested in one) comes before any task's {@code run}/{@code call}, and
 * it is not one a submitter waits in ({@link #SUBMITTING}: a bounded executor's {@code execute}
 * blocking its caller is reported). A task's code, a callback of an event loop (many frames
 * above the loop) and a submitter are never a worker waiting for work.
 *
 * <p>Which classes implement {@code Executor} is read from the JVM's loaded classes
 * ({@code Instrumentation.getAllLoadedClasses}, {@link Class#isAssignableFrom}: no application
 * code runs), once per unknown class name, and remembered by name (at most {@value #MAX_CACHED}).
 */
public final class PoolWorkers {

    /** Executor methods a caller waits in as a submitter (or an owner), not as a worker. */
    static final Set<String> SUBMITTING = Set.of("execute", "submit", "invokeAll", "invokeAny", "schedule",
            "scheduleAtFixedRate", "scheduleWithFixedDelay", "shutdown", "shutdownNow", "close");

    /** Application frames, from the wait outward, within which the pool's own code must be. */
    static final int MAX_DEPTH = 3;

    static final int MAX_CACHED = 4096;

    private final Supplier<Class<?>[]> loadedClasses;
    /** Class name -> implements (or is nested in a class that implements) Executor. Guarded by this. */
    private final Map<String, Boolean> executors = new HashMap<>();

    /** @param loadedClasses the JVM's loaded classes ({@code Instrumentation::getAllLoadedClasses}) */
    public PoolWorkers(Supplier<Class<?>[]> loadedClasses) {
        this.loadedClasses = loadedClasses;
    }

    /** Never a pool worker: where Vigil has no {@code Instrumentation} (unit tests of other parts). */
    public static PoolWorkers none() {
        return new PoolWorkers(() -> new Class<?>[0]);
    }

    /**
     * Methods that wait for a component to stop: a service's main thread in Jetty's
     * {@code Server.join()}, Jetty's or Tomcat's own {@code awaitTermination}.
     */
    static final Set<String> STOP_WAITS = Set.of("join", "awaitTermination");

    /**
     * True when {@code stack} (innermost frame first) waits for a component to stop: one of
     * {@link #STOP_WAITS} within the first {@value #MAX_DEPTH} frames, before any task's
     * {@code run}/{@code call}. Not further out: a fork/join worker helping inside
     * {@code ForkJoinTask.join} runs other tasks, whose own waits are theirs.
     */
    public static boolean waitsForAStop(List<Frame> stack) {
        for (Frame f : near(stack)) {
            if (STOP_WAITS.contains(f.method())) {
                return true;
            }
            if (isTaskBody(f)) {
                return false;
            }
        }
        return false;
    }

    /** The first {@value #MAX_DEPTH} frames of {@code stack} that are neither the JDK's nor Vigil's. */
    private static List<Frame> near(List<Frame> stack) {
        List<Frame> near = new ArrayList<>(MAX_DEPTH);
        for (Frame f : stack) {
            if (near.size() >= MAX_DEPTH) {
                break;
            }
            if (f.className() != null && !PackageFilter.isPlatform(f.className())) {
                near.add(f);
            }
        }
        return near;
    }

    private static boolean isTaskBody(Frame f) {
        return "run".equals(f.method()) || "call".equals(f.method());
    }

    /** True when {@code stack} (innermost frame first) is a pool's worker waiting for its next task. */
    public synchronized boolean waitingForWork(List<Frame> stack) {
        List<Frame> near = near(stack);
        resolve(near);
        for (Frame f : near) {
            if (isExecutor(f.className())) {
                return !SUBMITTING.contains(f.method());
            }
            if (isTaskBody(f)) {
                return false; // inside a task
            }
        }
        return false;
    }

    private boolean isExecutor(String className) {
        for (String name : selfAndEnclosing(className)) {
            if (Boolean.TRUE.equals(executors.get(name))) {
                return true;
            }
        }
        return false;
    }

    /** Looks the unknown names up among the loaded classes, in one pass. */
    private void resolve(List<Frame> frames) {
        Set<String> unknown = new HashSet<>();
        for (Frame f : frames) {
            for (String name : selfAndEnclosing(f.className())) {
                if (!executors.containsKey(name)) {
                    unknown.add(name);
                }
            }
        }
        if (unknown.isEmpty()) {
            return;
        }
        if (executors.size() + unknown.size() > MAX_CACHED) {
            executors.clear();
        }
        for (String name : unknown) {
            executors.put(name, Boolean.FALSE);
        }
        for (Class<?> c : loadedClasses.get()) {
            if (unknown.contains(c.getName()) && Executor.class.isAssignableFrom(c)) {
                executors.put(c.getName(), Boolean.TRUE);
            }
        }
    }

    /** {@code a.B$C$1} -> {@code a.B$C$1}, {@code a.B$C}, {@code a.B}. */
    static List<String> selfAndEnclosing(String className) {
        List<String> out = new ArrayList<>(2);
        out.add(className);
        for (int i = className.lastIndexOf('$'); i > 0; i = className.lastIndexOf('$', i - 1)) {
            String outer = className.substring(0, i);
            if (!outer.endsWith("$")) {
                out.add(outer);
            }
        }
        return out;
    }
}
