package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.any;

import dev.vigil.agent.stack.PackageFilter;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Semaphores, latches, barriers, phasers and {@code LockSupport.park}, seen at the application's
 * call sites only (see {@link SyncSiteVisitor}): the JDK's internal uses (executors, queues, the
 * common pool) stay out, and every event carries its line as a constant. {@code Condition.await}
 * waits reach the stuck-wait watch through the lock instrumentation's {@code LockCalls} stand-ins.
 */
public final class SyncInstrumentation {

    private SyncInstrumentation() {
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
                        new SyncSiteVisitor(mv, type.getName(), method.isConstructor() ? "<init>"
                                : method.isTypeInitializer() ? "<clinit>" : method.getName()));
        return builder.type(application).transform((b, type, loader, module, domain) -> b.visit(sites));
    }
}
