package dev.vigil.agent.instrument;

import java.util.Set;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Brackets the application's executor calls ({@code execute}, {@code submit}, {@code schedule*},
 * {@code invokeAll}, {@code invokeAny} on the JDK's executor types, and {@code CompletableFuture}'s
 * {@code *Async} methods) with {@code ExecutorHooks.submitSite(site)} before and
 * {@code ExecutorHooks.submitSiteDone()} after, {@code site} a constant ({@code A|class|method|line}).
 * The task ledger then takes the submit site from the thread's hook slot instead of walking the
 * stack on every submission (a walk cost about 2 µs per task, most of the agent's cost on a
 * submit-and-get). Both inserted calls leave the operand stack as it was: no frame changes.
 */
final class ExecutorSiteVisitor extends ApplicationSites.SiteVisitor {

    static final String HOOKS = "dev/vigil/bootstrap/ExecutorHooks";

    private static final Set<String> EXECUTORS = Set.of(
            "java/util/concurrent/Executor",
            "java/util/concurrent/ExecutorService",
            "java/util/concurrent/ScheduledExecutorService",
            "java/util/concurrent/AbstractExecutorService",
            "java/util/concurrent/ThreadPoolExecutor",
            "java/util/concurrent/ScheduledThreadPoolExecutor",
            "java/util/concurrent/ForkJoinPool");

    /** Every class whose calls this visitor rewrites: see {@link ClassScan}. */
    static final Set<String> OWNERS = ApplicationSites.union(EXECUTORS, Set.of(FutureInstrumentation.FutureSiteVisitor.COMPLETABLE));

    private static final Set<String> SUBMITS = Set.of(
            "execute", "submit", "schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay", "invokeAll",
            "invokeAny");

    ExecutorSiteVisitor(MethodVisitor mv, String className, String methodName) {
        super(mv, className, methodName);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
        if (!submits(owner, name)) {
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
            return;
        }
        super.visitLdcInsn(site());
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "submitSite", "(Ljava/lang/String;)V", false);
        super.visitMethodInsn(opcode, owner, name, desc, isInterface);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "submitSiteDone", "()V", false);
    }

    /** True for a call that hands work to an executor. */
    static boolean submits(String owner, String name) {
        if (owner.equals("java/util/concurrent/CompletableFuture")) {
            return name.endsWith("Async");
        }
        return EXECUTORS.contains(owner) && SUBMITS.contains(name);
    }
}
