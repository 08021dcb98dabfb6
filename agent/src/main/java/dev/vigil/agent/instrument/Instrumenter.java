package dev.vigil.agent.instrument;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.bootstrap.InterceptedClasses;
import java.lang.instrument.Instrumentation;
import java.lang.instrument.UnmodifiableClassException;
import java.util.HashSet;
import java.util.Set;

/**
 * Installs Vigil's transformer ({@link Prefilter}) and retransforms the JDK targets already loaded
 * (and, when attached to a running JVM, the application classes loaded so far). Retransformed JDK
 * classes cannot gain fields or methods: their hooks are inlined into method bodies
 * ({@link JdkHooks}). No Byte Buddy agent builder: premain loads the transformer and ASM, which cut
 * an empty {@code main}'s start-up by most of a second (docs/PERFORMANCE.md).
 */
public final class Instrumenter {

    private Instrumenter() {
    }

    /** @param jdkLocks the JDK classes whose monitors are tracked (option {@code jdkLocks}) */
    public static void install(Instrumentation inst, AgentHealth health, PackageFilter packages, Set<String> jdkLocks) {
        Prefilter.JdkTargets jdk = jdkTargets(jdkLocks);
        Set<Class<?>> loaded = loadedTargets(inst, packages, jdk);
        Prefilter transformer = new Prefilter(packages, jdk, LockInstrumentation.jdkClasses(jdkLocks), health);
        // Loaded before the transformer is installed: nothing the prefilter runs is loaded inside it.
        ClassScan.mayNeedRewriting(new byte[0]);
        InterceptedClasses.any();
        // Vigil's own retransformation of the loaded targets; any later one is another agent's.
        Prefilter.ownRetransformationsStart();
        try {
            inst.addTransformer(transformer, true);
            retransform(inst, health, loaded);
            retransformLoadedDuringInstall(inst, health, packages, jdk, loaded);
        } catch (RuntimeException | LinkageError e) {
            health.error("retransforming loaded classes", e);
        } finally {
            Prefilter.ownRetransformationsDone();
        }
    }

    /**
     * Retransforms {@code classes}, all at once; when that fails (the JVM then changes none), one at
     * a time, so that one class the JVM refuses is counted and leaves the others instrumented.
     */
    private static void retransform(Instrumentation inst, AgentHealth health, Set<Class<?>> classes) {
        if (classes.isEmpty()) {
            return;
        }
        try {
            inst.retransformClasses(classes.toArray(new Class<?>[0]));
            return;
        } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
            if (classes.size() == 1) {
                health.error("retransforming " + classes.iterator().next().getName(), e);
                return;
            }
        }
        for (Class<?> c : classes) {
            try {
                inst.retransformClasses(c);
            } catch (UnmodifiableClassException | RuntimeException | LinkageError e) {
                health.error("retransforming " + c.getName(), e);
            }
        }
    }

    /**
     * Linking a class to retransform it can load another: with the JDK's classes verified
     * ({@code -XX:+BytecodeVerificationLocal}), retransforming {@code ForkJoinPool} loads
     * {@code ForkJoinTask} (on JDK 17, the other way round). Byte Buddy's transformer let such a
     * class pass (its circularity lock was held), and every fork/join task looked submitted and
     * never run. Vigil's transformer rewrites a class loaded there, but any target that loaded while
     * a rewrite ran on the same thread passed unchanged: the targets that loaded meanwhile are
     * retransformed, in rounds until none is new; one already rewritten at its load is rewritten
     * from its original bytes again, to the same result.
     */
    private static void retransformLoadedDuringInstall(Instrumentation inst, AgentHealth health, PackageFilter packages,
                                                       Prefilter.JdkTargets jdk, Set<Class<?>> retransformed) {
        Set<Class<?>> done = new HashSet<>(retransformed);
        for (int pass = 0; pass < MAX_LATE_PASSES; pass++) {
            Set<Class<?>> late = loadedTargets(inst, packages, jdk);
            late.removeAll(done);
            late.removeIf(c -> !jdk.matches(c.getName()));
            if (late.isEmpty()) {
                return;
            }
            done.addAll(late);
            // Linking these to retransform them may load further targets: the next pass takes those.
            retransform(inst, health, late);
        }
    }

    /** Rounds of {@link #retransformLoadedDuringInstall}: each loads at most a few more JDK targets. */
    private static final int MAX_LATE_PASSES = 8;

    /** The JDK classes Vigil rewrites, for these {@code jdkLocks}. */
    static Prefilter.JdkTargets jdkTargets(Set<String> jdkLocks) {
        Set<String> classes = new HashSet<>(JdkHooks.CLASSES);
        classes.addAll(LockInstrumentation.jdkClasses(jdkLocks));
        return new Prefilter.JdkTargets(classes,
                jdkLocks.contains("Collections") ? LockInstrumentation.COLLECTIONS_WRAPPERS : null);
    }

    /**
     * The classes already loaded that an instrumentation may change: the JDK targets, and when
     * Vigil is attached to a running JVM, the application classes loaded so far.
     */
    private static Set<Class<?>> loadedTargets(Instrumentation inst, PackageFilter packages, Prefilter.JdkTargets jdk) {
        Set<Class<?>> targets = new HashSet<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.isArray() || c.isPrimitive() || c.isHidden() || !inst.isModifiableClass(c)) {
                continue;
            }
            String name = c.getName();
            if (jdk.matches(name) || packages.isApplication(name)) {
                targets.add(c);
            }
        }
        return targets;
    }
}
