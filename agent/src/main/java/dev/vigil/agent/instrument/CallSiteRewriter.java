package dev.vigil.agent.instrument;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The queue, synchronizer and method-reference call-site rewriting of application classes, applied
 * to one class file outside the transformer: the self-test runs it on a probe class of its own (agent
 * classes are never instrumented) to prove that the rewritten code verifies on this JVM and that its
 * stand-ins reach Vigil's trackers.
 */
public final class CallSiteRewriter {

    private CallSiteRewriter() {
    }

    /** {@code classFile} with the same rewriting an application class gets for queues, synchronizers and method references. */
    public static byte[] rewrite(byte[] classFile, String className) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        ClassVisitor sites = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                return mv == null ? null : new QueueInstrumentation.QueueSiteVisitor(
                        new SyncSiteVisitor(mv, className, name), className, name);
            }
        };
        new ClassReader(classFile).accept(new MethodRefInstrumentation.Bridges(sites, className, () -> { }), 0);
        return writer.toByteArray();
    }
}
