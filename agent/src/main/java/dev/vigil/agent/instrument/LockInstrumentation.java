package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynchronized;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.bootstrap.VigilHooks;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Locks: {@code synchronized} blocks and methods, {@code Lock}, {@code Condition} and
 * {@code Object.wait} calls in application classes (those {@link PackageFilter#isApplication}
 * accepts), and the monitors of the JDK classes where real deadlocks live: the synchronized
 * methods of {@code Hashtable}, {@code Vector}, {@code java.util.Observable},
 * and the {@code synchronized (mutex)} blocks of {@code Collections.synchronized*} (JDK-6582568 and
 * friends), and {@code StringBuffer} when asked (option {@code jdkLocks}). JDK classes are
 * retransformed: method bodies only, no new members.
 *
 * <p>{@code java.util.concurrent} locks are seen at the application's call sites, not inside the
 * JDK: the site is then a constant, and the JDK's own internal locking (queues, executors) stays
 * out of the graph.
 */
public final class LockInstrumentation {

    /**
     * JDK classes whose synchronized methods can be tracked, by their {@code jdkLocks} name. The
     * first three are by default: shared by design and calling out under their monitor. Not
     * {@code StringBuffer} unless asked: mostly thread-confined, several monitor operations per
     * string; the measured cost is in docs/PERFORMANCE.md. ({@code Collections}, the fourth
     * default, is the {@code synchronized (mutex)} blocks of the wrappers.)
     */
    static final Map<String, String> JDK_SYNCHRONIZED_CLASSES = Map.of(
            "Hashtable", "java.util.Hashtable",
            "Vector", "java.util.Vector",
            "Observable", "java.util.Observable",
            "StringBuffer", "java.lang.StringBuffer");

    /** The monitors of {@code Collections.synchronized*} wrappers: classes under this prefix. */
    static final String COLLECTIONS_WRAPPERS = "java.util.Collections$Synchronized";

    private LockInstrumentation() {
    }

    /** The JDK classes {@link #apply} instruments for these {@code jdkLocks} names, but for {@link #COLLECTIONS_WRAPPERS}. */
    static Set<String> jdkClasses(Set<String> jdkLocks) {
        return jdkLocks.stream().map(JDK_SYNCHRONIZED_CLASSES::get).filter(Objects::nonNull)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** @param jdkLocks the JDK classes to track, by their {@code jdkLocks} names */
    public static AgentBuilder apply(AgentBuilder builder, PackageFilter packages, Set<String> jdkLocks) {
        // Built once: Advice.to reads and parses the advice class, which per transformed class was
        // a fifth of the whole class-load cost (profile in docs/PERFORMANCE.md).
        AsmVisitorWrapper sites = sites('A', true);
        AsmVisitorWrapper instanceMethods = Advice.to(InstanceMethodAdvice.class).on(isSynchronized().and(not(isStatic())));
        AsmVisitorWrapper staticMethods = Advice.to(StaticMethodAdvice.class).on(isSynchronized().and(isStatic()));
        AgentBuilder b = builder
                .type(ApplicationSites.classes(packages))
                .transform((t, type, loader, module, domain) -> t
                        .visit(sites)
                        .visit(instanceMethods)
                        .visit(staticMethods));
        String[] jdkClasses = jdkClasses(jdkLocks).stream().sorted().toArray(String[]::new);
        if (jdkClasses.length > 0) {
            b = b.type(namedOneOf(jdkClasses))
                    .transform((t, type, loader, module, domain) -> t
                            .visit(Advice.to(JdkInstanceMethodAdvice.class).on(isSynchronized().and(not(isStatic())))));
        }
        if (jdkLocks.contains("Collections")) {
            b = b.type(nameStartsWith(COLLECTIONS_WRAPPERS))
                    .transform((t, type, loader, module, domain) -> t.visit(sites('J', false)));
        }
        return b;
    }

    private static AsmVisitorWrapper sites(char kind, boolean rewriteCalls) {
        return new EveryMethod((mv, className, access, name, descriptor) -> new LockSiteVisitor(mv, className, name,
                (access & Opcodes.ACC_SYNCHRONIZED) != 0 ? descriptor : null, kind, rewriteCalls));
    }

    /** Inlined into application {@code synchronized} instance methods. */
    public static final class InstanceMethodAdvice {
        private InstanceMethodAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Origin("M|#t|#m|#d") String site) {
            VigilHooks.monitorAcquired(self, site, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            VigilHooks.monitorReleasing(self);
        }
    }

    /** Inlined into application {@code static synchronized} methods: the monitor is the class. */
    public static final class StaticMethodAdvice {
        private StaticMethodAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Origin Class<?> type, @Advice.Origin("M|#t|#m|#d") String site) {
            VigilHooks.monitorAcquired(type, site, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Origin Class<?> type) {
            VigilHooks.monitorReleasing(type);
        }
    }

    /** Inlined into the synchronized methods of the JDK classes above (retransformed). */
    public static final class JdkInstanceMethodAdvice {
        private JdkInstanceMethodAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Origin("J|#t|#m|#d") String site) {
            VigilHooks.monitorAcquired(self, site, 0);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            VigilHooks.monitorReleasing(self);
        }
    }
}
