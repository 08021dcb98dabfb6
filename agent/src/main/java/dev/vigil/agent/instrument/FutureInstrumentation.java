package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;

import dev.vigil.agent.stack.PackageFilter;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;

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

    public static AgentBuilder apply(AgentBuilder builder, PackageFilter packages) {
        ElementMatcher<TypeDescription> application = new ElementMatcher<>() {
            @Override
            public boolean matches(TypeDescription type) {
                return packages.isApplication(type.getName());
            }
        };
        AsmVisitorWrapper sites = new AsmVisitorWrapper.ForDeclaredMethods()
                .writerFlags(ClassWriter.COMPUTE_MAXS)
                .invokable(any(), (type, method, mv, context, pool, writerFlags, readerFlags) ->
                        new FutureSiteVisitor(mv, type.getName(), method.isConstructor() ? "<init>"
                                : method.isTypeInitializer() ? "<clinit>" : method.getName()));
        return builder.type(application).transform((b, type, loader, module, domain) -> b.visit(sites));
    }

    /** Adds the creation hook after each future-making call of one method; no branch, no net stack effect. */
    static final class FutureSiteVisitor extends MethodVisitor {

        static final String CALLS = "dev/vigil/bootstrap/ExecutorHooks";
        static final String COMPLETABLE = "java/util/concurrent/CompletableFuture";

        private final String className;
        private final String methodName;
        private final Constructions constructions = new Constructions();
        private int line;

        FutureSiteVisitor(MethodVisitor mv, String className, String methodName) {
            super(Opcodes.ASM9, mv);
            this.className = className;
            this.methodName = methodName;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            constructions.typeInsn(opcode, type);
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean isInterface) {
            boolean created = opcode == Opcodes.INVOKESPECIAL && name.equals("<init>")
                    ? constructions.completesNew(owner) && owner.equals(COMPLETABLE)
                    : isFactory(opcode, owner, name, desc);
            super.visitMethodInsn(opcode, owner, name, desc, isInterface);
            if (created) {
                Constructions.created(mv, CALLS, "A|" + className + '|' + methodName + '|' + line);
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
