package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesNoArguments;

import dev.vigil.bootstrap.VigilHooks;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Thread lifetimes: {@code Thread.start()} (the start site is the caller's stack) and the private
 * {@code Thread.exit()} the VM runs on every terminating platform thread (JDK 17 through 25).
 *
 * <p>On JDK 21+ thread pools start their workers through a thread container, which calls the
 * package-private {@code Thread.start(ThreadContainer)} and never {@code Thread.start()}: both are
 * hooked (on JDK 21+ the first calls the second; the ledger counts a thread once).
 */
public final class ThreadInstrumentation {

    /** The JDK classes below, all of them: only these reach Byte Buddy among the JDK's ({@link Prefilter}). */
    static final java.util.Set<String> CLASSES = java.util.Set.of("java.lang.Thread");

    private ThreadInstrumentation() {
    }

    public static AgentBuilder apply(AgentBuilder builder) {
        return builder.type(named("java.lang.Thread"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(StartAdvice.class).on(named("start").and(takesNoArguments()
                                .or(takesArgument(0, named("jdk.internal.vm.ThreadContainer"))))))
                        .visit(Advice.to(ExitAdvice.class).on(named("exit").and(takesNoArguments()).and(isPrivate()))));
    }

    /** Inlined into {@code Thread.start()}. */
    public static final class StartAdvice {
        private StartAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread self) {
            VigilHooks.threadStarting(self);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Thread self, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                VigilHooks.threadStartFailed(self);
            }
        }
    }

    /** Inlined into {@code Thread.exit()}. */
    public static final class ExitAdvice {
        private ExitAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread self) {
            VigilHooks.threadExiting(self);
        }
    }
}
