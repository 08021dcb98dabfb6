package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;

import dev.vigil.agent.stack.PackageFilter;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Rewrites call sites in every method of the application's classes with a visitor that knows the
 * class and method it is in (for its site constants). Only the maximum stack is recomputed: the
 * visitors add no branch.
 */
final class CallSites {

    /** Makes the visitor for one method of {@code className}. */
    interface Factory {
        MethodVisitor visitor(MethodVisitor mv, String className, String methodName);
    }

    private CallSites() {
    }

    static AgentBuilder apply(AgentBuilder builder, PackageFilter packages, Factory factory) {
        ElementMatcher<TypeDescription> application = new ElementMatcher<>() {
            @Override
            public boolean matches(TypeDescription type) {
                return packages.isApplication(type.getName());
            }
        };
        AsmVisitorWrapper sites = new AsmVisitorWrapper.ForDeclaredMethods()
                .writerFlags(ClassWriter.COMPUTE_MAXS)
                .invokable(any(), (type, method, mv, context, pool, writerFlags, readerFlags) ->
                        factory.visitor(mv, type.getName(), methodName(method)));
        return builder.type(application).transform((b, type, loader, module, domain) -> b.visit(sites));
    }

    static String methodName(MethodDescription method) {
        return method.isConstructor() ? "<init>" : method.isTypeInitializer() ? "<clinit>" : method.getName();
    }
}
