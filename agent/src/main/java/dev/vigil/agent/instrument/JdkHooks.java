package dev.vigil.agent.instrument;

import static dev.vigil.agent.instrument.MethodHooks.hook;

import dev.vigil.agent.instrument.MethodHooks.Exit;
import dev.vigil.agent.instrument.MethodHooks.Hook;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The hooks inlined into the JDK's own classes, which are retransformed (method bodies only, no new
 * members), by class and method:
 * <ul>
 *   <li>{@code Thread}: {@code start()} and the package-private {@code start(ThreadContainer)} thread
 *       pools use on JDK 21+ (the start site is the caller's stack; a failed start is undone), and the
 *       private {@code exit()} the VM runs on every terminating platform thread;</li>
 *   <li>{@code VirtualThread} (JDK 21+): {@code start(ThreadContainer)}, where every virtual thread
 *       starts, the end of its task ({@code run(Runnable)}) and its end ({@code afterDone},
 *       {@code afterTerminate} on JDK 21);</li>
 *   <li>{@code ThreadPoolExecutor} (and so {@code ScheduledThreadPoolExecutor} and every
 *       {@code Executors} factory built on them): creation (the 7-argument constructor every other
 *       one ends in), {@code shutdown}/{@code shutdownNow} (and so {@code close()} on JDK 19+),
 *       {@code execute} (which {@code submit} calls: a task counts once; a rejected one is undone);
 *       a task's start and end on the worker's run loop, which no subclass can override:
 *       {@code Worker.run()} (its first task, the worker's end) and the private {@code getTask()}
 *       (each next task). Not {@code beforeExecute}/{@code afterExecute}: Spring 6.1+'s pools
 *       override them without calling {@code super} (docs/lifecycle.md). {@code drainQueue()},
 *       called by {@code shutdownNow()} only, hands back the tasks that will never run;</li>
 *   <li>{@code ScheduledThreadPoolExecutor.delayedExecute}, where every {@code schedule} ends;</li>
 *   <li>{@code ThreadPerTaskExecutor} (JDK 21+): creation, {@code shutdown}/{@code shutdownNow}/{@code close},
 *       a task's submission and its thread's start, and the task's end ({@code taskComplete});</li>
 *   <li>{@code ForkJoinPool}: creation, shutdown ({@code shutdown}, {@code shutdownNow}, {@code close}),
 *       submission ({@code externalPush} on JDK 17, {@code poolSubmit} on JDK 21+: every
 *       {@code submit}/{@code execute}/{@code invoke} ends there, so a task counts once; the listener
 *       keeps only submissions from outside the pool), {@code ForkJoinTask.doExec} for a task's
 *       start and end, and {@code ForkJoinTask.awaitDone} (where every {@code join}, {@code get},
 *       {@code invoke} of a task not yet done waits) for waits;</li>
 *   <li>{@code FutureTask}: failure ({@code setException}), every read of the outcome, and blocking
 *       {@code get} calls on a task not yet done (the wait's start and end);</li>
 *   <li>{@code CompletableFuture}: failure ({@code completeThrowable}, {@code completeExceptionally}),
 *       every read or dependent stage, and blocking {@code get}/{@code join} on a future not yet
 *       completed;</li>
 *   <li>the monitors of the JDK classes named by option {@code jdkLocks} ({@link LockInstrumentation}).</li>
 * </ul>
 * Observations are hooked on exit: by then a dependent stage is on the stack, so a failure that
 * lands between the call and its registration is either waited on or already pending.
 * {@code InstrumenterTest} checks on the running JDK that every hook here finds its method.
 */
final class JdkHooks {

    static final String VIGIL = "dev/vigil/bootstrap/VigilHooks";
    static final String EXECUTORS = "dev/vigil/bootstrap/ExecutorHooks";
    private static final String O_V = "(Ljava/lang/Object;)V";
    private static final String OO_V = "(Ljava/lang/Object;Ljava/lang/Object;)V";

    static final String THREAD = "java.lang.Thread";
    static final String TPE = "java.util.concurrent.ThreadPoolExecutor";
    static final String WORKER = "java.util.concurrent.ThreadPoolExecutor$Worker";
    static final String STPE = "java.util.concurrent.ScheduledThreadPoolExecutor";
    static final String FJP = "java.util.concurrent.ForkJoinPool";
    static final String FJT = "java.util.concurrent.ForkJoinTask";
    static final String FUTURE_TASK = "java.util.concurrent.FutureTask";
    static final String COMPLETABLE = "java.util.concurrent.CompletableFuture";
    /** JDK 21+ only: on 17 the class never loads, and nothing is hooked. */
    static final String VIRTUAL_THREAD = "java.lang.VirtualThread";
    /** JDK 21+: {@code Executors.newVirtualThreadPerTaskExecutor()}, {@code newThreadPerTaskExecutor(factory)}. */
    static final String PER_TASK = "java.util.concurrent.ThreadPerTaskExecutor";

    /** The thread and executor classes above; the lock classes come from option {@code jdkLocks}. */
    static final Set<String> CLASSES = Set.of(THREAD, VIRTUAL_THREAD, TPE, WORKER, STPE, FJP, FJT, FUTURE_TASK,
            COMPLETABLE, PER_TASK);

    private JdkHooks() {
    }

    /**
     * The hooks of one method of JDK class {@code owner} (binary name), outermost first; empty when
     * it has none. {@code monitors}: the classes whose synchronized methods are tracked, by binary name.
     */
    static List<Hook> of(String owner, int access, String name, String desc, Set<String> monitors) {
        List<Hook> hooks = new ArrayList<>();
        boolean isStatic = (access & Opcodes.ACC_STATIC) != 0;
        int argCount = net.bytebuddy.jar.asm.Type.getArgumentCount(desc);
        switch (owner) {
            case THREAD -> {
                if (name.equals("start") && (desc.equals("()V") || desc.startsWith("(Ljdk/internal/vm/ThreadContainer;"))) {
                    hooks.add(hook(m -> call(m, VIGIL, "threadStarting", "(Ljava/lang/Thread;)V"),
                            Exit.THROW, m -> call(m, VIGIL, "threadStartFailed", "(Ljava/lang/Thread;)V")));
                } else if (name.equals("exit") && desc.equals("()V") && (access & Opcodes.ACC_PRIVATE) != 0) {
                    hooks.add(entry(m -> call(m, VIGIL, "threadExiting", "(Ljava/lang/Thread;)V")));
                }
            }
            case VIRTUAL_THREAD -> {
                // start() calls start(ThreadContainer), as do the thread-per-task executors; the
                // thread ends in afterDone(boolean) (JDK 22+) or afterTerminate(boolean, boolean)
                // (JDK 21), on the carrier, once its task has returned or thrown. Never Thread.exit().
                if (name.equals("<init>") && desc.endsWith("Ljava/lang/Runnable;)V")) {
                    int[] task = new int[1]; // the task, for the start site's cache (VirtualThreads)
                    hooks.add(hook(m -> {
                        m.loadArg(argCount - 1);
                        task[0] = m.save();
                    }, Exit.RETURN, m -> {
                        m.loadThis();
                        m.load(task[0]);
                        m.call(VIGIL, "virtualThreadCreated", "(Ljava/lang/Thread;Ljava/lang/Runnable;)V");
                    }));
                } else if (name.equals("start") && desc.startsWith("(Ljdk/internal/vm/ThreadContainer;")) {
                    hooks.add(hook(m -> call(m, VIGIL, "threadStarting", "(Ljava/lang/Thread;)V"),
                            Exit.THROW, m -> call(m, VIGIL, "threadStartFailed", "(Ljava/lang/Thread;)V")));
                } else if (name.equals("run") && desc.equals("(Ljava/lang/Runnable;)V")) {
                    // The task has returned or thrown; on JDK 22+ the thread is still mounted here, so
                    // the end listeners run on it as on a platform thread's exit() (the hook checks).
                    hooks.add(hook(m -> { }, Exit.RETURN, m -> call(m, VIGIL, "virtualThreadRunEnded",
                            "(Ljava/lang/Thread;)V")));
                } else if (name.equals("afterDone") && desc.equals("(Z)V")
                        || name.equals("afterTerminate") && desc.equals("(ZZ)V")) {
                    hooks.add(entry(m -> call(m, VIGIL, "threadExiting", "(Ljava/lang/Thread;)V")));
                }
            }
            case PER_TASK -> {
                // A thread per task: the task is submitted at newThread(Runnable), its thread started
                // at start(Thread) (before it can run), and taskComplete(Thread) ends it. close() does
                // not call shutdown().
                if (name.equals("<init>")) {
                    hooks.add(created());
                } else if ((name.equals("shutdown") || name.equals("shutdownNow") || name.equals("close"))
                        && argCount == 0) {
                    hooks.add(shutdown(name));
                } else if (name.equals("newThread") && desc.equals("(Ljava/lang/Runnable;)Ljava/lang/Thread;")) {
                    // execute() passes a TaskRunner, submit() the future (a FutureTask) it returns
                    hooks.add(submitted(0, "perTaskSubmitted"));
                } else if (name.equals("start") && desc.equals("(Ljava/lang/Thread;)V")) {
                    hooks.add(entry(m -> {
                        m.loadThis();
                        m.loadArg(0);
                        m.call(EXECUTORS, "perTaskThreadStarting", "(Ljava/lang/Object;Ljava/lang/Thread;)V");
                    }));
                } else if (name.equals("taskComplete") && desc.equals("(Ljava/lang/Thread;)V")) {
                    hooks.add(entry(m -> {
                        m.loadThis();
                        m.loadArg(0);
                        m.call(EXECUTORS, "perTaskDone", "(Ljava/lang/Object;Ljava/lang/Thread;)V");
                    }));
                }
            }
            case TPE -> {
                if (name.equals("<init>") && argCount == 7) {
                    hooks.add(created());
                } else if (name.equals("shutdown") || name.equals("shutdownNow")) {
                    hooks.add(shutdown(name));
                } else if (name.equals("execute") && argCount == 1) {
                    int[] task = new int[1]; // a rejected task is undone
                    hooks.add(hook(m -> {
                        m.loadThis();
                        m.loadArg(0);
                        m.call(EXECUTORS, "taskSubmitted", OO_V);
                        m.loadArg(0);
                        task[0] = m.save();
                    }, Exit.THROW, m -> {
                        m.loadThis();
                        m.load(task[0]);
                        m.call(EXECUTORS, "taskRejected", OO_V);
                    }));
                } else if (name.equals("getTask") && argCount == 0) {
                    hooks.add(hook(m -> call(m, EXECUTORS, "workerTaskDone", O_V), Exit.RETURNED,
                            m -> callWithReturned(m, "workerTaskTaken", OO_V)));
                } else if (name.equals("drainQueue") && argCount == 0) {
                    hooks.add(hook(m -> { }, Exit.RETURNED,
                            m -> callWithReturned(m, "tasksDrained", "(Ljava/lang/Object;Ljava/util/List;)V")));
                }
            }
            case WORKER -> {
                if (name.equals("run") && argCount == 0) {
                    hooks.add(hook(m -> {
                        m.loadField("this$0");
                        m.loadField("firstTask");
                        m.call(EXECUTORS, "workerStarting", OO_V);
                    }, Exit.ALWAYS, m -> {
                        m.loadField("this$0");
                        m.loadThrownOrNull();
                        m.call(EXECUTORS, "workerEnding", "(Ljava/lang/Object;Ljava/lang/Throwable;)V");
                    }));
                }
            }
            case STPE -> {
                if (name.equals("delayedExecute") && argCount == 1) {
                    hooks.add(submitted(0, "taskSubmitted"));
                }
            }
            case FJP -> {
                if (name.equals("<init>")) {
                    hooks.add(created());
                } else if (name.equals("shutdown") || name.equals("shutdownNow") || name.equals("close") && argCount == 0) {
                    hooks.add(shutdown(name));
                } else if (name.equals("externalPush") && argCount == 1 || name.equals("poolSubmit") && argCount == 2) {
                    // JDK 17: externalPush(task); JDK 21+: poolSubmit(signalIfEmpty, task)
                    hooks.add(submitted(argCount - 1, "forkJoinSubmitted"));
                }
            }
            case FJT -> {
                if (name.equals("doExec") && argCount == 0) {
                    String running = "(Ljava/lang/Object;ZLjava/lang/Throwable;)V";
                    hooks.add(hook(m -> {
                        m.loadThis();
                        m.loadInt(1);
                        m.loadNull();
                        m.call(EXECUTORS, "forkJoinTaskRunning", running);
                    }, Exit.ALWAYS, m -> {
                        m.loadThis();
                        m.loadInt(0);
                        m.loadThrownOrNull();
                        m.call(EXECUTORS, "forkJoinTaskRunning", running);
                    }));
                } else if (name.equals("awaitDone") && (argCount == 5 || argCount == 2 && desc.startsWith("(Z"))) {
                    // JDK 17: awaitDone(pool, ran, interruptible, timed, nanos); JDK 21+: awaitDone(interruptible,
                    // deadline). Every join/get/invoke/quietlyJoin/invokeAll that must wait ends in it.
                    hooks.add(waitHook("status", "I", "forkJoinWaitStarted"));
                }
            }
            case FUTURE_TASK -> {
                if (isStatic) {
                    break;
                }
                if (name.equals("get")) {
                    hooks.add(waitHook("state", "I", "futureTaskWaitStarted"));
                }
                if (name.equals("setException") && argCount == 1) {
                    hooks.add(failed("waiters", "state", "futureTaskFailed", "I"));
                }
                if (name.equals("get") || name.equals("resultNow") || name.equals("exceptionNow") || name.equals("state")) {
                    hooks.add(observed());
                }
            }
            case COMPLETABLE -> {
                if (isStatic) {
                    if (name.equals("allOf") || name.equals("anyOf")) {
                        hooks.add(observedSaved(0, "futuresObserved"));
                    }
                    break;
                }
                if (name.equals("get") || name.equals("join")) {
                    hooks.add(waitHook("result", "Ljava/lang/Object;", "completableWaitStarted"));
                }
                if (name.equals("completeThrowable") || name.equals("completeExceptionally")) {
                    hooks.add(failed("result", "stack", "completableFailed", "Ljava/lang/Object;"));
                }
                if (isCompletableObservation(name)) {
                    hooks.add(observed());
                }
                if (desc.startsWith("(Ljava/util/concurrent/CompletionStage;")) {
                    hooks.add(observedSaved(0, "futureObserved"));
                }
            }
            default -> {
                if (monitors.contains(owner) && (access & Opcodes.ACC_SYNCHRONIZED) != 0 && !isStatic) {
                    hooks.add(LockInstrumentation.monitorHook("J|" + owner + '|' + name + '|' + desc, false));
                }
            }
        }
        return hooks;
    }

    private static boolean isCompletableObservation(String name) {
        return name.equals("get") || name.equals("join") || name.equals("getNow")
                || name.equals("isCompletedExceptionally") || name.equals("exceptionNow") || name.equals("resultNow")
                || name.equals("state") || name.startsWith("then") || name.startsWith("when")
                || name.startsWith("handle") || name.startsWith("exceptionally") || name.startsWith("applyToEither")
                || name.startsWith("acceptEither") || name.startsWith("runAfter");
    }

    /** {@code hooksClass.hook(this)}. */
    private static void call(MethodHooks m, String hooksClass, String hook, String desc) {
        m.loadThis();
        m.call(hooksClass, hook, desc);
    }

    /** {@code ExecutorHooks.hook(this, returned)}. */
    private static void callWithReturned(MethodHooks m, String hook, String desc) {
        m.loadThis();
        m.loadReturned();
        m.call(EXECUTORS, hook, desc);
    }

    private static Hook entry(Consumer<MethodHooks> code) {
        return hook(code, Exit.NONE, m -> { });
    }

    /** On a constructor's return: the executor exists. */
    private static Hook created() {
        return hook(m -> { }, Exit.RETURN, m -> call(m, EXECUTORS, "executorCreated", O_V));
    }

    /** At entry of {@code shutdown()} and {@code close()}, or of {@code shutdownNow()} (which interrupts). */
    private static Hook shutdown(String method) {
        String hook = method.equals("shutdownNow") ? "executorShutdownNow" : "executorShutdown";
        return entry(m -> call(m, EXECUTORS, hook, O_V));
    }

    /** At entry: {@code ExecutorHooks.hook(this, argument taskArg)}, a submission. */
    private static Hook submitted(int taskArg, String hook) {
        return entry(m -> {
            m.loadThis();
            m.loadArg(taskArg);
            m.call(EXECUTORS, hook, OO_V);
        });
    }

    /**
     * At entry of a failing completion: {@code ExecutorHooks.hook(this, failure, first, second)},
     * the fields from which the hook decides whether it is the first completion and whether someone
     * waits ({@code second} of type {@code secondDesc}).
     */
    private static Hook failed(String first, String second, String hook, String secondDesc) {
        return entry(m -> {
            m.loadThis();
            m.loadArg(0);
            m.loadField(first);
            m.loadField(second);
            m.call(EXECUTORS, hook, "(Ljava/lang/Object;Ljava/lang/Throwable;Ljava/lang/Object;" + secondDesc + ")V");
        });
    }

    /** On every exit: the outcome of {@code this} was read or a dependent stage registered. */
    private static Hook observed() {
        return hook(m -> { }, Exit.ALWAYS, m -> call(m, EXECUTORS, "futureObserved", O_V));
    }

    /** On every exit: argument {@code index}, saved at entry, was observed ({@code hook(Object)}). */
    private static Hook observedSaved(int index, String hook) {
        int[] saved = new int[1];
        return hook(m -> {
            m.loadArg(index);
            saved[0] = m.save();
        }, Exit.ALWAYS, m -> {
            m.load(saved[0]);
            m.call(EXECUTORS, hook, O_V);
        });
    }

    /**
     * A blocking read of a future: {@code startHook(this, field)} decides from the field whether it is
     * a wait to follow and returns its token (or null), which every exit hands back.
     */
    private static Hook waitHook(String field, String fieldDesc, String startHook) {
        int[] token = new int[1];
        return hook(m -> {
            m.loadThis();
            m.loadField(field);
            m.call(EXECUTORS, startHook, "(Ljava/lang/Object;" + fieldDesc + ")Ljava/lang/Object;");
            token[0] = m.save();
        }, Exit.ALWAYS, m -> {
            m.load(token[0]);
            m.call(EXECUTORS, "futureWaitEnded", O_V);
        });
    }

    /**
     * The visitor that inlines the hooks into JDK class {@code owner} (binary name), to read with
     * {@link ClassReader#EXPAND_FRAMES}; the hooks keep what they save past each method's
     * {@code max_locals}, read from the class file first ({@link #maxLocals}). Methods without hooks
     * are copied as they are.
     */
    static ClassVisitor visitor(ClassVisitor next, String owner, ClassReader reader, Set<String> monitors) {
        Map<String, Integer> maxLocals = maxLocals(reader);
        Map<String, String> fields = new HashMap<>();
        String internalName = owner.replace('.', '/');
        return new ClassVisitor(Opcodes.ASM9, next) {
            @Override
            public FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
                fields.put(name, desc);
                return super.visitField(access, name, desc, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
                Integer locals = maxLocals.get(name + desc);
                if (mv == null || locals == null) {
                    return mv; // no code
                }
                if (owner.startsWith(LockInstrumentation.COLLECTIONS_WRAPPERS)) { // passed the prefilter: option on
                    mv = new LockSiteVisitor(mv, owner, name, null, 'J', false);
                }
                List<Hook> hooks = of(owner, access, name, desc, monitors);
                return hooks.isEmpty() ? mv : new MethodHooks(mv, internalName, access, name, desc, hooks, fields, locals,
                        reader.readUnsignedShort(6));
            }
        };
    }

    /**
     * Each method's {@code max_locals} ({@code name + descriptor}), read from the class file's
     * structure: no pass of a visitor over every method's code, which for {@code CompletableFuture}
     * and {@code ForkJoinPool} was most of their rewriting's cost.
     */
    static Map<String, Integer> maxLocals(ClassReader reader) {
        Map<String, Integer> out = new HashMap<>();
        char[] buf = new char[reader.getMaxStringLength()];
        int p = reader.header + 6; // access, this_class, super_class
        p += 2 + 2 * reader.readUnsignedShort(p); // interfaces
        int fields = reader.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < fields; i++) {
            p = skipAttributes(reader, p + 6);
        }
        int methods = reader.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < methods; i++) {
            String key = reader.readUTF8(p + 2, buf) + reader.readUTF8(p + 4, buf);
            int attributes = reader.readUnsignedShort(p + 6);
            p += 8;
            for (int a = 0; a < attributes; a++) {
                if ("Code".equals(reader.readUTF8(p, buf))) {
                    out.put(key, reader.readUnsignedShort(p + 8)); // after the name, the length, max_stack
                }
                p += 6 + reader.readInt(p + 2);
            }
        }
        return out;
    }

    /** {@code p}: at a member's {@code attributes_count}; returns the offset after its attributes. */
    private static int skipAttributes(ClassReader reader, int p) {
        int attributes = reader.readUnsignedShort(p);
        p += 2;
        for (int a = 0; a < attributes; a++) {
            p += 6 + reader.readInt(p + 2);
        }
        return p;
    }
}
