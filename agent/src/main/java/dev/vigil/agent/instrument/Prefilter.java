package dev.vigil.agent.instrument;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.bootstrap.InterceptedClasses;
import java.security.ProtectionDomain;
import java.util.Set;
import java.lang.instrument.ClassFileTransformer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Vigil's class file transformer: it lets through only the classes an instrumentation can change,
 * the few JDK classes Vigil hooks, by name, and the application classes whose bytes
 * {@link ClassScan} finds a monitor or a rewritten call in, and rewrites those with ASM (the copy
 * Byte Buddy carries): {@link JdkHooks} for the JDK's, {@link ApplicationSites} and
 * {@link MethodRefInstrumentation} for the application's. Every other class costs a name check (and,
 * for an application class, a byte scan). A class that loads while the same thread rewrites one
 * passes unchanged (it is Vigil's own or the JDK's, never a target); an error leaves the class as
 * it was and is counted.
 */
final class Prefilter implements ClassFileTransformer {

    /**
     * The JDK classes some instrumentation matches: by binary name, and by a name prefix (or null).
     * {@code InstrumenterTest} checks that every hook finds its method in the running JDK.
     */
    record JdkTargets(Set<String> classes, String prefix) {
        JdkTargets {
            classes = Set.copyOf(classes);
        }

        boolean matches(String binaryName) {
            return classes.contains(binaryName) || (prefix != null && binaryName.startsWith(prefix));
        }
    }

    /** Set while the thread rewrites a class: a class it loads meanwhile is not rewritten. */
    private static final ThreadLocal<boolean[]> REWRITING = ThreadLocal.withInitial(() -> new boolean[1]);

    private final PackageFilter packages;
    private final JdkTargets jdk;
    /** The JDK classes whose synchronized methods are tracked (option {@code jdkLocks}). */
    private final Set<String> monitors;
    private final AgentHealth health;
    /**
     * The thread retransforming classes for Vigil itself (while it installs), or null: any other
     * retransformation of a loaded class is another agent's ({@link #noteRetransformation}).
     */
    private static volatile Thread ownRetransformation;

    Prefilter(PackageFilter packages, JdkTargets jdk, Set<String> monitors, AgentHealth health) {
        this.packages = packages;
        this.jdk = jdk;
        this.monitors = Set.copyOf(monitors);
        this.health = health;
    }

    /** Marks the calling thread's retransformations as Vigil's own until {@link #ownRetransformationsDone}. */
    static void ownRetransformationsStart() {
        ownRetransformation = Thread.currentThread();
    }

    static void ownRetransformationsDone() {
        ownRetransformation = null;
    }

    /**
     * Another agent retransforms {@code c} (Mockito's inline mock maker retransforms the class it
     * mocks and its superclasses): Vigil stops making calls of its own on its instances, see
     * {@link InterceptedClasses}. Never a lookup for a class being loaded.
     */
    private void noteRetransformation(Class<?> c, String internalName) {
        if (c != null && ownRetransformation != Thread.currentThread()) {
            InterceptedClasses.retransformed(c, internalName.replace('/', '.'));
        }
    }

    /** True when this class may be rewritten: a JDK target, or an application class that may need it. */
    boolean passes(String binaryName, byte[] classFile) {
        if (jdk.matches(binaryName)) {
            return true;
        }
        if (!packages.isApplication(binaryName)) {
            return false;
        }
        if (ClassScan.mayNeedRewriting(classFile)) {
            return true;
        }
        health.classSkipped();
        return false;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) {
        return transform(loader, internalName, classBeingRedefined, domain, classFile);
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) {
        if (internalName == null) {
            return null;
        }
        if (classBeingRedefined != null) {
            noteRetransformation(classBeingRedefined, internalName);
        }
        String name = internalName.replace('/', '.');
        if (!passes(name, classFile)) {
            return null;
        }
        boolean[] rewriting = REWRITING.get();
        if (rewriting[0]) {
            return null;
        }
        rewriting[0] = true;
        try {
            byte[] rewritten = rewrite(loader, name, classBeingRedefined, classFile);
            if (rewritten != null) {
                health.instrumented(name);
            }
            return rewritten;
        } catch (Throwable t) {
            health.error("instrumenting " + name, t);
            return null;
        } finally {
            rewriting[0] = false;
        }
    }

    /** The rewritten class file, or null to leave it as it is. */
    byte[] rewrite(ClassLoader loader, String name, Class<?> classBeingRedefined, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        if ((reader.getAccess() & Opcodes.ACC_SYNTHETIC) != 0) {
            return null;
        }
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        if (jdk.matches(name)) {
            reader.accept(JdkHooks.visitor(writer, name, reader, monitors), ClassReader.EXPAND_FRAMES);
        } else {
            ClassVisitor cv = ApplicationSites.visitor(writer, name, reader.readUnsignedShort(6));
            cv = MethodRefInstrumentation.visitor(cv, loader, name, classBeingRedefined);
            reader.accept(ApplicationSites.onlyMethods(ClassScan.methodsToRewrite(classFile), cv, writer), 0);
        }
        return writer.toByteArray();
    }
}
