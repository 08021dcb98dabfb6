package dev.vigil.agent.instrument;

import dev.vigil.agent.stack.PackageFilter;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    /**
     * A synchronized method's monitor: taken at entry ({@code monitorAcquired(monitor, site, 0)}: held),
     * released on every exit, a throw included. The monitor is {@code this}, or the class for a
     * static method. {@code site} is {@code kind|class|method|descriptor}; the line of its first
     * instruction is recorded by {@link LockSiteVisitor}.
     */
    static MethodHooks.Hook monitorHook(String site, boolean isStatic) {
        java.util.function.Consumer<MethodHooks> monitor = m -> {
            if (isStatic) {
                m.loadOwnClass();
            } else {
                m.loadThis();
            }
        };
        return MethodHooks.hook(m -> {
            monitor.accept(m);
            m.loadConstant(site);
            m.loadInt(0);
            m.call(JdkHooks.VIGIL, "monitorAcquired", "(Ljava/lang/Object;Ljava/lang/String;I)V");
        }, MethodHooks.Exit.ALWAYS, m -> {
            monitor.accept(m);
            m.call(JdkHooks.VIGIL, "monitorReleasing", "(Ljava/lang/Object;)V");
        });
    }

    /**
     * The lock rewriting of one method of an application class: its monitors and lock calls
     * ({@link LockSiteVisitor}) and, for a synchronized method, its own monitor ({@link #monitorHook}).
     */
    static MethodVisitor applicationMethod(MethodVisitor mv, String className, String internalName, int access,
                                           String name, String descriptor, int classVersion) {
        boolean synchronizedMethod = (access & Opcodes.ACC_SYNCHRONIZED) != 0;
        mv = new LockSiteVisitor(mv, className, name, synchronizedMethod ? descriptor : null, 'A', true);
        if (!synchronizedMethod) {
            return mv;
        }
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        return new MethodHooks(mv, internalName, access, name, descriptor,
                java.util.List.of(monitorHook("M|" + className + '|' + name + '|' + descriptor, isStatic)),
                Map.of(), -1, classVersion);
    }
}
