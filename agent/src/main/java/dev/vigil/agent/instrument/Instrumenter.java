package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import dev.vigil.agent.report.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.bootstrap.InterceptedClasses;
import java.lang.instrument.Instrumentation;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every instrumentation with Byte Buddy, configured explicitly (DESIGN.md §3): the
 * defaults ignore bootstrap classes and report errors nowhere. Retransformed JDK classes cannot
 * gain fields or methods, so every instrumentation is inlined {@code Advice}.
 */
public final class Instrumenter {

    private Instrumenter() {
    }

    /** @param jdkLocks the JDK classes whose monitors are tracked (option {@code jdkLocks}) */
    public static void install(Instrumentation inst, AgentHealth health, PackageFilter packages, Set<String> jdkLocks) {
        // Byte Buddy must not touch sun.misc.Unsafe: JDK 24+ prints a warning on the host's stderr
        // for it (JEP 498), and Vigil injects no classes that would need it. Shading relocates
        // this property name, so the host's own Byte Buddy (Mockito, ...) is not affected.
        System.setProperty("net.bytebuddy.safe", "true");
        Prefilter.JdkTargets jdk = jdkTargets(jdkLocks);
        Set<Class<?>> loaded = loadedTargets(inst, packages, jdk);
        AgentBuilder builder = builder(health, packages, jdkLocks, loaded);
        // Loaded before the transformer is installed: nothing the prefilter runs is loaded inside it.
        ClassScan.mayNeedRewriting(new byte[0]);
        InterceptedClasses.any();
        // Vigil's own retransformation of the loaded targets; any later one is another agent's.
        Prefilter.ownRetransformationsStart();
        try {
            builder.installOn(inst);
            retransformLoadedDuringInstall(inst, packages, jdk, loaded);
        } catch (RuntimeException e) {
            health.error("retransforming loaded classes", e);
        } finally {
            Prefilter.ownRetransformationsDone();
        }
    }

    /**
     * Byte Buddy lets every class pass that loads on the installing thread while it retransforms
     * (its circularity lock is held), and linking a class to retransform it can load another: with
     * the JDK's classes verified ({@code -XX:+BytecodeVerificationLocal}), retransforming
     * {@code ForkJoinPool} loaded {@code ForkJoinTask}, which was then never instrumented (every
     * fork/join task seen submitted and never run; on JDK 17, retransforming that loaded
     * {@code ForkJoinPool} the same way). The targets that loaded meanwhile are retransformed, in
     * rounds until none is new; one that another thread loaded is rewritten from its original
     * bytes again, to the same result.
     */
    private static void retransformLoadedDuringInstall(Instrumentation inst, PackageFilter packages,
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
            try {
                // Linking these to retransform them may load further targets: the next pass takes those.
                inst.retransformClasses(late.toArray(new Class<?>[0]));
            } catch (java.lang.instrument.UnmodifiableClassException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Rounds of {@link #retransformLoadedDuringInstall}: each loads at most a few more JDK targets. */
    private static final int MAX_LATE_PASSES = 8;

    /** Every instrumentation behind the prefilter; {@code loaded}: the loaded classes to retransform. */
    static AgentBuilder builder(AgentHealth health, PackageFilter packages, Set<String> jdkLocks, Set<Class<?>> loaded) {
        Prefilter.JdkTargets jdk = jdkTargets(jdkLocks);
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED)
                // Every transformation visits declared methods only: the default compiler resolves
                // each class's whole type hierarchy (reading every supertype's class file), which
                // was half of the per-class cost.
                .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
                .disableClassFormatChanges()
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                // Only the loaded classes the prefilter lets through are offered for retransformation,
                // not every loaded class to every matcher.
                .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(loaded))
                .with(AgentBuilder.RedefinitionStrategy.Listener.ErrorEscalating.FAIL_LAST)
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(new HealthListener(health))
                .with((AgentBuilder.TransformerDecorator) byteBuddy ->
                        new Prefilter(byteBuddy, packages, jdk, health))
                .with(new ThreadLocalCircularityLock())
                .ignore(nameStartsWith("net.bytebuddy.")
                        .or(nameStartsWith("dev.vigil.agent."))
                        .or(nameStartsWith("dev.vigil.bootstrap."))
                        .or(nameStartsWith("dev.vigil.report."))
                        .or(nameStartsWith("dev.vigil.shaded."))
                        .or(isSynthetic()));
        builder = ThreadInstrumentation.apply(builder);
        builder = ExecutorInstrumentation.apply(builder);
        builder = LockInstrumentation.apply(builder, packages, jdkLocks);
        builder = QueueInstrumentation.apply(builder, packages);
        builder = SyncInstrumentation.apply(builder, packages);
        builder = FutureInstrumentation.apply(builder, packages);
        builder = ApplicationSites.apply(builder, packages, ExecutorSiteVisitor::new);
        return MethodRefInstrumentation.apply(builder, packages);
    }

    /** The JDK classes the instrumentations below match, for these {@code jdkLocks}. */
    static Prefilter.JdkTargets jdkTargets(Set<String> jdkLocks) {
        Set<String> classes = new HashSet<>(ThreadInstrumentation.CLASSES);
        classes.addAll(ExecutorInstrumentation.CLASSES);
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

    /** Counts every instrumentation error and records what was instrumented. */
    private static final class HealthListener extends AgentBuilder.Listener.Adapter {
        private final AgentHealth health;

        HealthListener(AgentHealth health) {
            this.health = health;
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            health.instrumented(type.getName());
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            health.error("instrumenting " + typeName, error);
        }
    }
}
