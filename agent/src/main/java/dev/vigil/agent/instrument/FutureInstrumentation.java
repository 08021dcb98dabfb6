package dev.vigil.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Where application code creates the {@code CompletableFuture}s it may later wait on: after
 * {@code new CompletableFuture<>()} and after {@code CompletableFuture.supplyAsync/runAsync(...)} in an
 * application method, {@code ExecutorHooks.created(future, site)} with the line as a constant
 * ({@code A|class|method|line}). A {@code future-never-completed} finding then names the line that
 * made the future. Futures the JDK makes internally (dependent stages) are never seen; hooking the
 * constructor itself would cost every one of them.
 */
public final class FutureInstrumentation {

    private FutureInstrumentation() {
    }

    /** Adds the creation hook after each future-making call of one method; no branch, no net stack effect. */
    static final class FutureSiteVisitor extends ApplicationSites.SiteVisitor {

        static final String CALLS = "dev/vigil/bootstrap/ExecutorHooks";
        static final String COMPLETABLE = "java/util/concurrent/CompletableFuture";

        FutureSiteVisitor(MethodVisitor mv, String className, String methodName) {
            super(mv, className, methodName);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
            boolean created = opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")
                    ? constructions.completesNew(owner) && owner.equals(COMPLETABLE)
                    : isFactory(opcode, owner, name, desc);
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
            if (created) {
                Constructions.created(mv, CALLS, site());
            }
        }

        /** {@code CompletableFuture.supplyAsync(...)}/{@code runAsync(...)}: a new future the caller owns. */
        static boolean isFactory(int opcode, String owner, String name, String desc) {
            return opcode == Opcodes.INVOKESTATIC && owner.equals(COMPLETABLE)
                    && (name.equals("supplyAsync") || name.equals("runAsync"))
                    && desc.endsWith(")L" + COMPLETABLE + ";");
        }
    }
}
