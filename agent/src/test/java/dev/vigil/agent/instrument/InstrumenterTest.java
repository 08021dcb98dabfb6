package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The JDK's classes are hooked by method name and shape ({@link JdkHooks}): a JDK release that
 * renames or reshapes one of those methods would leave it silently unhooked. These tests read the
 * running JDK's own class files (the suite runs them on JDK 17; the packaged agent is tested on 17
 * and 25 in child JVMs that verify every class Vigil rewrites).
 */
class InstrumenterTest {

    private static final Set<String> ALL_JDK_LOCKS = Set.of("Hashtable", "Vector", "Observable", "Collections",
            "StringBuffer");

    @Test
    void everyJdkHookFindsItsMethodInTheRunningJdk() throws IOException {
        Set<String> monitors = LockInstrumentation.jdkClasses(ALL_JDK_LOCKS);
        assertThat(hooked(JdkHooks.THREAD, monitors)).contains("start", "exit");
        assertThat(hooked(JdkHooks.TPE, monitors))
                .containsExactlyInAnyOrder("<init>", "shutdown", "shutdownNow", "execute", "getTask", "drainQueue");
        assertThat(hooked(JdkHooks.WORKER, monitors)).containsExactly("run");
        assertThat(hooked(JdkHooks.STPE, monitors)).containsExactly("delayedExecute");
        assertThat(hooked(JdkHooks.FJP, monitors)).contains("<init>", "shutdown", "shutdownNow")
                .containsAnyOf("externalPush", "poolSubmit");
        assertThat(hooked(JdkHooks.FJT, monitors)).containsExactlyInAnyOrder("doExec", "awaitDone");
        assertThat(hooked(JdkHooks.FUTURE_TASK, monitors)).contains("get", "setException");
        assertThat(hooked(JdkHooks.COMPLETABLE, monitors)).contains("get", "join", "completeThrowable",
                "completeExceptionally", "allOf", "anyOf", "thenApply", "thenCombine", "whenComplete");
        if (Runtime.version().feature() >= 21) {
            assertThat(hooked(JdkHooks.VIRTUAL_THREAD, monitors)).contains("<init>", "start", "run").containsAnyOf("afterDone",
                    "afterTerminate");
            assertThat(hooked(JdkHooks.PER_TASK, monitors)).containsExactlyInAnyOrder("<init>", "shutdown", "shutdownNow",
                    "close", "newThread", "start", "taskComplete");
        }
        assertThat(hooked("java.util.Hashtable", monitors)).contains("put", "get");
        assertThat(hooked("java.util.Vector", monitors)).contains("add");
    }

    @Test
    void everyJdkTargetIsRewrittenWithoutErrorAndTheMonitorsOnlyWhenAsked() throws IOException {
        AgentHealth health = new AgentHealth();
        Prefilter all = new Prefilter(PackageFilter.all(), Instrumenter.jdkTargets(ALL_JDK_LOCKS),
                LockInstrumentation.jdkClasses(ALL_JDK_LOCKS), health);
        List<String> targets = new ArrayList<>(JdkHooks.CLASSES);
        if (Runtime.version().feature() < 21) {
            targets.remove(JdkHooks.VIRTUAL_THREAD); // no virtual threads before JDK 21
            targets.remove(JdkHooks.PER_TASK);
        }
        targets.addAll(List.of("java.util.Hashtable", "java.util.Vector", "java.util.Observable",
                "java.lang.StringBuffer", "java.util.Collections$SynchronizedMap"));
        for (String name : targets) {
            byte[] original = classFile(name);
            byte[] rewritten = all.transform(null, name.replace('.', '/'), null, null, original);
            assertThat(rewritten).as(name + " " + health.errorSamples()).isNotNull().isNotEqualTo(original);
        }
        assertThat(health.errorSamples()).isEmpty();

        Prefilter defaults = new Prefilter(PackageFilter.all(), Instrumenter.jdkTargets(Set.of()), Set.of(), health);
        assertThat(defaults.transform(null, "java/util/Hashtable", null, null, classFile("java.util.Hashtable")))
                .isNull();
        assertThat(defaults.transform(null, "java/util/HashMap", null, null, classFile("java.util.HashMap")))
                .isNull();
    }

    /**
     * A proxy generated at run time whose supertypes no loader can resolve (Byte Buddy's type pool
     * failed on those and counted an internal error on every run, issue 18): the rewriting reads
     * no other class, so it is rewritten like any class, with no error.
     */
    @Test
    void aGeneratedClassWhoseSupertypesCannotBeResolvedIsRewrittenWithoutError() {
        String name = "com/shop/Pool$$EnhancerBySpringCGLIB$$1a2b3c4d";
        net.bytebuddy.jar.asm.ClassWriter cw = new net.bytebuddy.jar.asm.ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, "com/missing/BasePool",
                new String[] {"com/missing/Factory"});
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNCHRONIZED, "CGLIB$recycle$13", "()V",
                null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 1);
        mv.visitEnd();
        cw.visitEnd();
        byte[] original = cw.toByteArray();
        AgentHealth health = new AgentHealth();
        Prefilter prefilter = new Prefilter(PackageFilter.all(), Instrumenter.jdkTargets(Set.of()), Set.of(), health);

        byte[] rewritten = prefilter.transform(new ClassLoader(null) { }, name, null, null, original);

        assertThat(health.errors()).as(health.errorSamples().toString()).isZero();
        assertThat(rewritten).as("its synchronized method is hooked").isNotNull().isNotEqualTo(original);
        new ClassReader(rewritten).accept(new ClassVisitor(Opcodes.ASM9) { }, 0); // a well-formed class file
    }

    @Test
    void maxLocalsReadFromTheClassFileAreWhatTheCodeSays() throws IOException {
        for (String name : List.of(JdkHooks.COMPLETABLE, JdkHooks.FJP, JdkHooks.THREAD, JdkHooks.WORKER,
                "java.util.Hashtable")) {
            ClassReader reader = new ClassReader(classFile(name));
            java.util.Map<String, Integer> visited = new java.util.HashMap<>();
            reader.accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String method, String desc, String signature,
                                                 String[] exceptions) {
                    return new MethodVisitor(Opcodes.ASM9) {
                        @Override
                        public void visitMaxs(int maxStack, int maxLocals) {
                            visited.put(method + desc, maxLocals);
                        }
                    };
                }
            }, 0);
            assertThat(JdkHooks.maxLocals(reader)).as(name).isNotEmpty().isEqualTo(visited);
        }
    }

    @Test
    void targetsFollowTheJdkLocksOption() {
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.util.Hashtable")).isFalse();
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.util.Collections$SynchronizedMap")).isFalse();
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.lang.Thread")).isTrue();
        assertThat(Instrumenter.jdkTargets(Set.of("Collections")).matches("java.util.Collections$SynchronizedList"))
                .isTrue();
    }

    /** The names of the methods of JDK class {@code name} that get at least one hook. */
    private static Set<String> hooked(String name, Set<String> monitors) throws IOException {
        Set<String> out = new TreeSet<>();
        new ClassReader(classFile(name)).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String method, String desc, String signature,
                                             String[] exceptions) {
                if (!JdkHooks.of(name, access, method, desc, monitors).isEmpty()) {
                    out.add(method);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return out;
    }

    private static byte[] classFile(String name) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }
}
