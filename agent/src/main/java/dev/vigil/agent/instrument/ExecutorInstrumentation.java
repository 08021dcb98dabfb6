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
 *       {@code execute} (which {@code submit} calls: a task counts once); a task's start and end on
 *       the worker's run loop, which no subclass can override: {@code Worker.run()} (its first
 *       task, the worker's end) and the private {@code getTask()} (each next task). Not
 *       {@code beforeExecute}/{@code afterExecute}: Spring 6.1+'s pools override them without
 *       calling {@code super} (docs/lifecycle.md);</li>
 *   <li>{@code ScheduledThreadPoolExecutor.delayedExecute}, where every {@code schedule} ends;</li>
 *   <li>{@code ForkJoinPool}: creation, shutdown ({@code shutdown}, {@code shutdownNow}, {@code close}),
 *       submission ({@code externalPush} on JDK 17, {@code poolSubmit} on JDK 21+: every
 *       {@code submit}/{@code execute}/{@code invoke} ends there, so a task counts once; the listener
 *       keeps only submissions from outside the pool), {@code ForkJoinTask.doExec} for their
 *       start and end, and {@code ForkJoinTask.awaitDone} (where every {@code join}, {@code get},
 *       {@code invoke} of a task not yet done waits) for waits;</li>
 *   <li>{@code FutureTask}: failure ({@code setException}), every read of the outcome, and blocking
 *       {@code get} calls on a task not yet done (the wait's start and end);</li>
 *   <li>{@code CompletableFuture}: failure ({@code completeThrowable}, {@code completeExceptionally}),
 *       every read or dependent stage, and blocking {@code get}/{@code join} on a future not yet
 *       completed.</li>
 * </ul>
 */
public final class ExecutorInstrumentation {

    /** The JDK classes below, all of them: only these reach Byte Buddy among the JDK's ({@link Prefilter}). */
    static final java.util.Set<String> CLASSES = java.util.Set.of("java.util.concurrent.ThreadPoolExecutor",
            "java.util.concurrent.ThreadPoolExecutor$Worker",
            "java.util.concurrent.ScheduledThreadPoolExecutor", "java.util.concurrent.ForkJoinPool",
            "java.util.concurrent.ForkJoinTask", "java.util.concurrent.FutureTask",
            "java.util.concurrent.CompletableFuture");

    private ExecutorInstrumentation() {
    }

    public static AgentBuilder apply(AgentBuilder builder) {
        return builder
                .type(named("java.util.concurrent.ThreadPoolExecutor"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(Created.class).on(isConstructor().and(takesArguments(7))))
                        .visit(Advice.to(Shutdown.class).on(named("shutdown").or(named("shutdownNow"))))
                        .visit(Advice.to(Execute.class).on(named("execute").and(takesArguments(1))))
                        .visit(Advice.to(GetTask.class).on(named("getTask").and(takesArguments(0))))
                        // private, called by shutdownNow() only: the queued tasks it hands back
                        .visit(Advice.to(Drained.class).on(named("drainQueue").and(takesArguments(0)))))
                .type(named("java.util.concurrent.ThreadPoolExecutor$Worker"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(WorkerRun.class).on(named("run").and(takesArguments(0)))))
                .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(DelayedExecute.class).on(named("delayedExecute").and(takesArguments(1)))))
                .type(named("java.util.concurrent.ForkJoinPool"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(Created.class).on(isConstructor()))
                        .visit(Advice.to(Shutdown.class).on(named("shutdown").or(named("shutdownNow"))
                                .or(named("close").and(takesArguments(0)))))
                        .visit(Advice.to(ExternalPush.class).on(named("externalPush").and(takesArguments(1))))
                        .visit(Advice.to(PoolSubmit.class).on(named("poolSubmit").and(takesArguments(2)))))
                .type(named("java.util.concurrent.ForkJoinTask"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(ForkJoinExec.class).on(named("doExec").and(takesArguments(0))))
                        // JDK 17: awaitDone(pool, ran, interruptible, timed, nanos); JDK 21+: awaitDone(interruptible,
                        // deadline). Every join/get/invoke/quietlyJoin/invokeAll that must wait ends in it.
                        .visit(Advice.to(ForkJoinWait.class).on(named("awaitDone")
                                .and(takesArguments(5).or(takesArguments(2).and(takesArgument(0, boolean.class)))))))
                .type(named("java.util.concurrent.FutureTask"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(FutureTaskWait.class).on(named("get").and(not(isStatic()))))
                        .visit(Advice.to(FutureTaskFailed.class).on(named("setException").and(takesArguments(1))))
                        .visit(Advice.to(Observed.class).on(named("get").or(named("resultNow"))
                                .or(named("exceptionNow")).or(named("state")).and(not(isStatic())))))
                .type(named("java.util.concurrent.CompletableFuture"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(Advice.to(CompletableWait.class).on(not(isStatic()).and(named("get").or(named("join")))))
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

    public static final class Drained {
        private Drained() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return java.util.List<?> drained) {
            ExecutorHooks.tasksDrained(self, drained);
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

    /** The worker's loop: its first task starts here, and a task that throws ends the worker. */
    public static final class WorkerRun {
        private WorkerRun() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("this$0") Object pool, @Advice.FieldValue("firstTask") Object firstTask) {
            ExecutorHooks.workerStarting(pool, firstTask);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.FieldValue("this$0") Object pool, @Advice.Thrown Throwable thrown) {
            ExecutorHooks.workerEnding(pool, thrown);
        }
    }

    /** Asking for the next task ends the one the worker ran; the task returned starts. */
    public static final class GetTask {
        private GetTask() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            ExecutorHooks.workerTaskDone(self);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Return Object task) {
            ExecutorHooks.workerTaskTaken(self, task);
        }
    }

    /** A thread blocked in {@code get()} is already waiting: that failure will be read. */
    public static final class FutureTaskFailed {
        private FutureTaskFailed() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable failure,
                          @Advice.FieldValue("waiters") Object waiters, @Advice.FieldValue("state") int state) {
            if (state == 0) { // NEW: a task cancelled while running ignores the exception it then throws
                ExecutorHooks.futureFailed(self, failure, waiters != null);
            }
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

    /** JDK 17: every external submission ({@code submit}, {@code execute}, {@code invoke}) ends here. */
    public static final class ExternalPush {
        private ExternalPush() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Object task) {
            ExecutorHooks.forkJoinSubmitted(self, task);
        }
    }

    /** JDK 21+: every submission, from outside the pool or forked inside it, ends here. */
    public static final class PoolSubmit {
        private PoolSubmit() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(1) Object task) {
            ExecutorHooks.forkJoinSubmitted(self, task);
        }
    }

    public static final class ForkJoinExec {
        private ForkJoinExec() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            ExecutorHooks.forkJoinTaskRunning(self, true, null);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object self, @Advice.Thrown Throwable thrown) {
            ExecutorHooks.forkJoinTaskRunning(self, false, thrown);
        }
    }

    /** A blocking read of a task not yet done ({@code state} NEW or COMPLETING): a wait to follow. */
    public static final class FutureTaskWait {
        private FutureTaskWait() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("state") int state) {
            return state <= 1 ? ExecutorHooks.futureWaitStarted(self) : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            if (token != null) {
                ExecutorHooks.futureWaitEnded(token);
            }
        }
    }

    /**
     * A wait on a {@code ForkJoinTask} not yet done ({@code status >= 0}): a worker's join helps run
     * other tasks meanwhile; those nest as waits of their own.
     */
    public static final class ForkJoinWait {
        private ForkJoinWait() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("status") int status) {
            return status >= 0 ? ExecutorHooks.futureWaitStarted(self) : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            if (token != null) {
                ExecutorHooks.futureWaitEnded(token);
            }
        }
    }

    /** A blocking {@code get}/{@code join} of a future with no {@code result} yet: a wait to follow. */
    public static final class CompletableWait {
        private CompletableWait() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.This Object self, @Advice.FieldValue("result") Object result) {
            return result == null ? ExecutorHooks.futureWaitStarted(self) : null;
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter Object token) {
            if (token != null) {
                ExecutorHooks.futureWaitEnded(token);
            }
        }
    }
}
