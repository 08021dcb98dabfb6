package dev.vigil.agent.instrument;

import dev.vigil.agent.report.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.bootstrap.InterceptedClasses;
import java.security.ProtectionDomain;
import java.util.Set;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Stands in front of Byte Buddy's transformer and lets through only the classes an
 * instrumentation can change: the few JDK classes Vigil hooks, by name, and the application
 * classes whose bytes {@link ClassScan} finds a monitor or a rewritten call in. Every other class
 * costs a name check (and, for an application class, a byte scan) instead of a type description,
 * the matchers of every instrumentation and a rewrite that would change nothing.
 */
final class Prefilter extends ResettableClassFileTransformer.WithDelegation {

    /**
     * The JDK classes some instrumentation matches: by binary name, and by a name prefix (or null).
     * {@code InstrumenterTest} checks that no instrumentation matches a JDK class outside them.
     */
    record JdkTargets(Set<String> classes, String prefix) {
        JdkTargets {
            classes = Set.copyOf(classes);
        }

        boolean matches(String binaryName) {
            return classes.contains(binaryName) || (prefix != null && binaryName.startsWith(prefix));
        }
    }

    private final PackageFilter packages;
    private final JdkTargets jdk;
    private final AgentHealth health;
    /**
     * The thread retransforming classes for Vigil itself (while it installs), or null: any other
     * retransformation of a loaded class is another agent's ({@link #noteRetransformation}).
     */
    private static volatile Thread ownRetransformation;

    Prefilter(ResettableClassFileTransformer byteBuddy, PackageFilter packages, JdkTargets jdk, AgentHealth health) {
        super(byteBuddy);
        this.packages = packages;
        this.jdk = jdk;
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

    /** True when Byte Buddy should see this class: a JDK target, or an application class that may need rewriting. */
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
                            ProtectionDomain domain, byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
        if (classBeingRedefined != null && internalName != null) {
            noteRetransformation(classBeingRedefined, internalName);
        }
        if (internalName == null || !passes(internalName.replace('/', '.'), classFile)) {
            return null;
        }
        return classFileTransformer.transform(module, loader, internalName, classBeingRedefined, domain, classFile);
    }

    @Override
    public byte[] transform(ClassLoader loader, String internalName, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
        if (classBeingRedefined != null && internalName != null) {
            noteRetransformation(classBeingRedefined, internalName);
        }
        if (internalName == null || !passes(internalName.replace('/', '.'), classFile)) {
            return null;
        }
        return classFileTransformer.transform(loader, internalName, classBeingRedefined, domain, classFile);
    }
}
