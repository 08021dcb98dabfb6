package dev.vigil.agent.instrument;


import dev.vigil.agent.stack.PackageFilter;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Rewrites at the application's own call sites: every method of every application class gets a
 * {@link SiteVisitor} of one primitive family (queues, synchronizers, futures). Byte Buddy applies
 * every matching transformation, each adding its own visitor.
 */
final class ApplicationSites {

    private ApplicationSites() {
    }

    /** Makes the visitor of one method: {@code (next, className, methodName)}. */
    interface Factory {
        MethodVisitor visitor(MethodVisitor next, String className, String methodName);
    }

    static ElementMatcher<TypeDescription> classes(PackageFilter packages) {
        return new ElementMatcher<>() {
            @Override
            public boolean matches(TypeDescription type) {
                return packages.isApplication(type.getName());
            }
        };
    }

    static AgentBuilder apply(AgentBuilder builder, PackageFilter packages, Factory factory) {
        AsmVisitorWrapper sites = new EveryMethod((mv, className, access, name, descriptor) ->
                factory.visitor(mv, className, name));
        return builder.type(classes(packages)).transform((b, type, loader, module, domain) -> b.visit(sites));
    }

    static String methodName(MethodDescription method) {
        return method.isConstructor() ? "<init>" : method.isTypeInitializer() ? "<clinit>" : method.getName();
    }

    /**
     * A method visitor that knows the line it is at, names it as a site constant
     * ({@code A|class|method|line}) and pairs {@code NEW} with {@code <init>} ({@link Constructions}).
     */
    abstract static class SiteVisitor extends MethodVisitor {

        private final String className;
        private final String methodName;
        final Constructions constructions = new Constructions();
        private int line;

        SiteVisitor(MethodVisitor mv, String className, String methodName) {
            super(Opcodes.ASM9, mv);
            this.className = className;
            this.methodName = methodName;
        }

        /** The site constant of the current line. */
        final String site() {
            return "A|" + className + '|' + methodName + '|' + line;
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
    }
}
