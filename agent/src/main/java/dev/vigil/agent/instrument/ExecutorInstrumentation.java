package dev.vigil.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.vigil.bootstrap.ExecutorHooks;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Executors, tasks and futures:
 * <ul>
 *   <li>{@code ThreadPoolExecutor} (and so {@code ScheduledThreadPoolExecutor} and every
 *       {@code Executors} factory built on them): creation (the 7-argument constructor every other
 *       one ends in), {@code shutdown}/{@code shutdownNow} (and so {@code close()} on JDK 19+),
 *       {@code execute} (which {@code submit} calls: a task counts once), {@code beforeExecute} and
 *       {@code afterExecute} (subclasses that override them without calling {@code super} hide their
 *       tasks' start and end);</li>
 *   <li>{@code ScheduledThreadPoolExecutor.delayedExecute}, where every {@code schedule} ends;</li>
 *   <li>{@code ForkJoinPool}: creation and shutdown;</li>
 *   <li>{@code FutureTask}: failure ({@code setException}) and every read of the outcome;</li>
 *   <li>{@code CompletableFuture}: failure ({@code completeThrowable}, {@code completeExceptionally})
 *       and every read or dependent stage.</li>
 * </ul>
 */
public final class ExecutorInstrumentation {

    private ExecutorInstrumentation() {
    }

    public static AgentBuilder apply(AgentBuilder builder) {
        return builder
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(Created.class).on(isConstructor().and(takesArguments(7))))
                        .visit(Advice.to(Shutdown.class).on(named("shutdown").or(named("shutdownNow"))))
                        .visit(Advice.to(Execute.class).on(named("execute").and(takesArguments(1))))
                        .visit(Advice.to(BeforeExecute.class).on(named("beforeExecute").and(takesArguments(2))))
                        .visit(Advice.to(AfterExecute.class).on(named("afterExecute").and(takesArguments(2)))))
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(DelayedExecute.class).on(named("delayedExecute").and(takesArguments(1)))))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(Created.class).on(isConstructor()))
                        .visit(Advice.to(Shutdown.class).on(named("shutdown").or(named("shutdownNow")))))
                .type(named("java.util.concurrent.FutureTask"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(FutureTaskFailed.class).on(named("setException").and(takesArguments(1))))
                        .visit(Advice.to(Observed.class).on(named("get").or(named("resultNow"))
                                .or(named("exceptionNow")).or(named("state")).and(not(isStatic())))))
                .type(named("java.util.concurrent.CompletableFuture"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(CompletableFailed.class).on(named("completeThrowable")
                                .or(named("completeExceptionally")).and(not(isStatic()))))
                        .visit(Advice.to(Observed.class).on(not(isStatic()).and(named("get").or(named("join"))
                                .or(named("getNow")).or(named("isCompletedExceptionally")).or(named("exceptionNow"))
                                .or(named("resultNow")).or(named("state")).or(nameStartsWith("then"))
                                .or(nameStartsWith("when")).or(nameStartsWith("handle"))
                                .or(nameStartsWith("exceptionally")).or(nameStartsWith("applyToEither"))
                                .or(nameStartsWith("acceptEither")).or(nameStartsWith("runAfter")))))
                        .visit(Advice.to(ObservedOther.class).on(not(isStatic())
                                .and(takesArgument(0, CompletionStage.class))))
                        .visit(Advice.to(ObservedAll.class).on(isStatic().and(named("allOf").or(named("anyOf"))))));
    }

    public static final class Created {
        private Created() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            ExecutorHooks.executorCreated(self);
        }
    }

    public static final class Shutdown {
        private Shutdown() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            ExecutorHooks.executorShutdown(self);
        }
    }

    public static final class Execute {
        private Execute() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Object task) {
            ExecutorHooks.taskSubmitted(self, task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Argument(0) Object task, @Advice.Thrown Throwable thrown) {
            if (thrown != null) {
                ExecutorHooks.taskRejected(self, task);
            }
        }
    }

    public static final class DelayedExecute {
        private DelayedExecute() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Object task) {
            ExecutorHooks.taskSubmitted(self, task);
        }
    }

    public static final class BeforeExecute {
        private BeforeExecute() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(1) Object task) {
            ExecutorHooks.taskStarted(self, task);
        }
    }

    public static final class AfterExecute {
        private AfterExecute() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Object task, @Advice.Argument(1) Throwable thrown) {
            ExecutorHooks.taskFinished(self, task, thrown);
        }
    }

    /** A thread blocked in {@code get()} is already waiting: that failure will be read. */
    public static final class FutureTaskFailed {
        private FutureTaskFailed() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable failure,
                          @Advice.FieldValue("waiters") Object waiters) {
            ExecutorHooks.futureFailed(self, failure, waiters != null);
        }
    }

    /**
     * Only the first completion counts ({@code result} still null); a dependent stage or a waiting
     * reader already on the {@code stack} will receive the failure.
     */
    public static final class CompletableFailed {
        private CompletableFailed() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable failure,
                          @Advice.FieldValue("result") Object result, @Advice.FieldValue("stack") Object stack) {
            if (result == null) {
                ExecutorHooks.futureFailed(self, failure, stack != null);
            }
        }
    }

    /*
     * Observations are hooked on exit: by then a dependent stage is on the stack, so a failure that
     * lands between the call and its registration is either waited on or already pending here.
     */
    public static final class Observed {
        private Observed() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            ExecutorHooks.futureObserved(self);
        }
    }

    public static final class ObservedOther {
        private ObservedOther() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object other) {
            ExecutorHooks.futureObserved(other);
        }
    }

    public static final class ObservedAll {
        private ObservedAll() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object[] futures) {
            if (futures != null) {
                for (Object f : futures) {
                    ExecutorHooks.futureObserved(f);
                }
            }
        }
    }
}
