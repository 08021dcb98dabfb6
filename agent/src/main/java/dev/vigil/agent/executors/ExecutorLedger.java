package dev.vigil.agent.executors;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.StartSite;
import dev.vigil.bootstrap.ExecutorHooks;
import dev.vigil.bootstrap.ExecutorListener;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Site;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The ledger of application executors, their tasks and failed futures.
 *
 * <ul>
 *   <li>Executors are tracked when created from application code (their creation site has an
 *       application frame); the JDK's own pools are not. Held weakly.</li>
 *   <li>Tasks of tracked executors: submitted, started, finished. A finished task is forgotten
 *       (the per-site counts stay); at most {@link #MAX_TASKS} are open at once.</li>
 *   <li>Failed futures ({@code FutureTask}, {@code CompletableFuture}) that nobody was waiting
 *       on: held weakly until observed ({@code get}, {@code join}, a dependent stage...), and
 *       reported if they become unreachable or the program ends first.</li>
 * </ul>
 */
public final class ExecutorLedger implements ExecutorListener {

    static final int MAX_TASKS = 100_000;
    static final int MAX_FAILURES = 10_000;
    static final int MAX_UNOBSERVED = 1_000;
    static final int MAX_SITES = 4_096;
    /** Threads whose waits on futures are followed at once (each has one reusable record). */
    static final int MAX_WAITS = 10_000;
    /** Finished tasks kept for the report's timeline (the most recent ones). */
    static final int RECENT_TASKS = 1_024;
    /**
     * Delayed tasks queued in one scheduler at which it is a timer pile-up: no real scheduler keeps
     * this many pending timeouts unless it schedules faster than they fire or retains cancelled ones.
     */
    static final int PILE_UP_MARK = 1_000;
    private static final int SITE_KEY_DEPTH = 8;

    private final StackFrames stacks;
    private final LongSupplier clock;
    private final StackWalker walker = StackWalker.getInstance();
    private final AtomicLong ids = new AtomicLong();

    private final WeakIdentityMap<ExecutorRecord> executors = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, StartSite> creationSites = new ConcurrentHashMap<>();
    private final WeakIdentityMap<TaskRecord> tasks = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, Site> submitSites = new ConcurrentHashMap<>();
    /** Submit sites by the site constant of the application's executor call. */
    private final ConcurrentHashMap<String, Site> sitesByConstant = new ConcurrentHashMap<>();
    /** Failed futures nobody has read yet, to the failure they carry. */
    private final WeakIdentityMap<FailureGroup> failures = new WeakIdentityMap<>();
    /** Failures by their exception object, so that a failure passed along a chain is one failure. */
    private final WeakIdentityMap<FailureGroup> failureRoots = new WeakIdentityMap<>();
    private final ArrayDeque<FailureRecord> unobserved = new ArrayDeque<>();

    private final AtomicLong tasksUntracked = new AtomicLong();
    private final AtomicLong failuresUntracked = new AtomicLong();
    private final AtomicLong unobservedDropped = new AtomicLong();
    private final AtomicLong sitesTruncated = new AtomicLong();
    private final AtomicLong executorsNotListed = new AtomicLong();
    private final AtomicLong waitsUntracked = new AtomicLong();
    private final AtomicLong taskIds = new AtomicLong();
    /** Open ForkJoinPool tasks, published to the hooks so doExec costs one read when there are none. */
    private final java.util.concurrent.atomic.AtomicInteger openForkJoin = new java.util.concurrent.atomic.AtomicInteger();
    /** The most recent finished tasks, a ring written without locks. */
    private final java.util.concurrent.atomic.AtomicReferenceArray<TaskRecord> recent =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(RECENT_TASKS);
    /** {@code taskIds} at the last {@link #resetScope}: tasks before it are not counted as not listed. */
    private volatile long idBase;

    // ------------------------------------------------------------------ the self-test's probe

    /** What the hooks showed of the self-test's pool and future ({@link #selfTestSeen}). */
    public static final int PROBE_CREATED = 1;
    public static final int PROBE_SUBMITTED = 2;
    public static final int PROBE_STARTED = 4;
    public static final int PROBE_FINISHED = 8;
    public static final int PROBE_SHUTDOWN = 16;
    public static final int PROBE_WAITED = 32;

    /** The thread running the self-test: the pool it creates is the probe, never a ledger entry. */
    private volatile Thread probeCaller;
    private volatile Object probePool;
    /** The future the self-test waits on; set and read on the self-test's own thread. */
    private Object probeFuture;
    private final java.util.concurrent.atomic.AtomicInteger probeSeen = new java.util.concurrent.atomic.AtomicInteger();

    /** The next executor {@code caller} creates is the self-test's probe. */
    public void expectSelfTest(Thread caller) {
        probeSeen.set(0);
        probePool = null;
        probeCaller = caller;
    }

    /** A wait on {@code future} by the self-test's thread is the probe's. */
    public void expectSelfTestWait(Object future) {
        probeFuture = future;
    }

    /** The {@code PROBE_*} events seen since {@link #expectSelfTest}. */
    public int selfTestSeen() {
        return probeSeen.get();
    }

    public void selfTestDone() {
        probeCaller = null;
        probePool = null;
        probeFuture = null;
    }

    /** True (and recorded) when {@code executor} is the self-test's pool; asked only of executors the ledger does not track. */
    private boolean probe(Object executor, int event) {
        Object pool = probePool;
        if (pool == null || executor != pool) {
            return false;
        }
        probeSaw(event);
        return true;
    }

    private void probeSaw(int event) {
        int seen;
        do {
            seen = probeSeen.get();
        } while (!probeSeen.compareAndSet(seen, seen | event));
    }

    public ExecutorLedger(StackFrames stacks, LongSupplier clock) {
        this.stacks = stacks;
        this.clock = clock;
    }

    // ------------------------------------------------------------------ executors

    @Override
    public void executorCreated(Object executor) {
        if (executors.get(executor) != null) {
            return; // a constructor chained to another
        }
        if (probeCaller == Thread.currentThread() && probePool == null) {
            probePool = executor;
            probe(executor, PROBE_CREATED);
            return;
        }
        StackTraceElement[] raw = new Throwable().getStackTrace();
        if (createdByJdkInitializer(raw)) {
            return; // e.g. ForkJoinPool's common pool, made when the application first touches the class
        }
        List<Frame> frames = callerFrames(raw);
        if (StackFrames.firstApplicationFrame(frames) == null) {
            return; // the JDK's own pool
        }
        String key = StackFrames.siteKey(frames, SITE_KEY_DEPTH);
        StartSite site = creationSites.get(key);
        if (site == null) {
            if (creationSites.size() >= MAX_SITES) {
                sitesTruncated.incrementAndGet();
                return;
            }
            site = creationSites.computeIfAbsent(key, k -> new StartSite(k, StackFrames.site("executor created", frames)));
        }
        ExecutorRecord rec = new ExecutorRecord(ids.incrementAndGet(), executor.getClass().getName(), site,
                clock.getAsLong());
        if (executors.putIfAbsent(executor, rec) == null) {
            site.opened();
        }
    }

    @Override
    public void executorShutdown(Object executor) {
        ExecutorRecord rec = executors.get(executor);
        if (rec != null && rec.shutdownMillis == 0) {
            rec.shutdownMillis = clock.getAsLong();
            rec.site.closed();
        } else if (rec == null) {
            probe(executor, PROBE_SHUTDOWN);
        }
    }

    /** {@code shutdownNow()} begins on {@code executor}: it interrupts its running tasks now. */
    @Override
    public void executorStoppedNow(Object executor) {
        ExecutorRecord rec = executors.get(executor);
        if (rec != null && rec.stoppedNowMillis == 0) {
            rec.stoppedNowMillis = clock.getAsLong();
        }
        executorShutdown(executor);
    }

    // ------------------------------------------------------------------ tasks

    @Override
    public void taskSubmitted(Object executor, Object task) {
        ExecutorRecord rec = executors.get(executor);
        if (rec == null) {
            probe(executor, PROBE_SUBMITTED);
            return;
        }
        if (tasks.size() >= MAX_TASKS) {
            tasksUntracked.incrementAndGet();
            return;
        }
        TaskRecord fresh = new TaskRecord(taskIds.incrementAndGet(), rec, submitSite(), clock.getAsLong());
        fresh.forkJoin = executor instanceof java.util.concurrent.ForkJoinPool;
        if (tasks.putIfAbsent(task, fresh) != null) {
            return;
        }
        dev.vigil.agent.jfr.LowLevelEvents.taskSubmitted(fresh.id, rec.id, rec.type, fresh.submitSite.location());
        if (executor instanceof java.util.concurrent.ForkJoinPool) {
            ExecutorHooks.openForkJoinTasks(openForkJoin.incrementAndGet());
        } else if (executor instanceof java.util.concurrent.ScheduledThreadPoolExecutor stpe) {
            int pending = rec.pendingScheduled.incrementAndGet();
            if (pending >= PILE_UP_MARK && pending % 256 == 0 && rec.pileUp == null) {
                checkPileUp(stpe, rec);
            }
        }
    }

    // ------------------------------------------------------------------ thread-per-task executors

    /** The task each live thread of a tracked thread-per-task executor runs, by thread. */
    private final WeakIdentityMap<Object> perTaskThreads = new WeakIdentityMap<>();

    /** Submitted to a thread-per-task executor: a task like any other, whose thread starts next. */
    @Override
    public void perTaskSubmitted(Object executor, Object task) {
        taskSubmitted(executor, task);
        dev.vigil.bootstrap.VigilHooks.currentSlot().perTaskTask = task;
    }

    @Override
    public void perTaskThreadStarting(Object executor, Thread thread) {
        dev.vigil.bootstrap.ThreadSlot slot = dev.vigil.bootstrap.VigilHooks.currentSlot();
        Object task = slot.perTaskTask;
        slot.perTaskTask = null;
        TaskRecord rec = task == null ? null : tasks.get(task);
        if (rec == null || rec.executor != executors.get(executor)) {
            return; // not a tracked executor's (or its task went untracked): the thread is the thread ledger's
        }
        // Started, as far as anyone can tell: the thread runs nothing else. The thread is the
        // executor's worker, not a thread of the application's own (no thread-leak beside the task's).
        rec.threadName = dev.vigil.agent.host.ThreadFacts.name(thread);
        rec.runnerId = ThreadFacts.id(thread);
        rec.runner = thread;
        rec.startedMillis = clock.getAsLong();
        perTaskThreads.put(thread, task);
        slot.executorStart = true;
    }

    @Override
    public void perTaskDone(Object executor, Thread thread) {
        dev.vigil.bootstrap.VigilHooks.currentSlot().executorStart = false; // a start that failed left it set
        Object task = perTaskThreads.remove(thread);
        if (task != null) {
            taskFinished(executor, task, null);
        }
    }

    /**
     * The executor's threads, running tasks and queued tasks now: read from a pool's own state, or,
     * for a thread-per-task executor (no queue, a thread per running task), from its tasks here.
     */
    ExecutorLoad load(Object executor, ExecutorRecord record) {
        if (isPerTask(executor)) {
            int running = perTaskRunning(record);
            return new ExecutorLoad(running, running, 0);
        }
        return ExecutorLoad.of(executor);
    }

    /** A JDK 21+ thread-per-task executor ({@code Executors.newVirtualThreadPerTaskExecutor()} and the like). */
    static boolean isPerTask(Object executor) {
        return executor.getClass().getName().equals("java.util.concurrent.ThreadPerTaskExecutor");
    }

    /** Threads of thread-per-task executors running a task now, by executor record. */
    int perTaskRunning(ExecutorRecord executor) {
        int n = 0;
        for (java.util.Map.Entry<Object, TaskRecord> e : tasks.entries()) {
            TaskRecord t = e.getValue();
            if (t.executor == executor && t.startedMillis != 0 && t.runner != null && t.runner.isAlive()) {
                n++;
            }
        }
        return n;
    }

    /** A task entered a pool: kept when it comes from outside (a worker's own forks are the pool's business). */
    @Override
    public void forkJoinSubmitted(Object pool, Object task) {
        if (Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread w
                && ThreadFacts.pool(w) == pool) {
            return;
        }
        taskSubmitted(pool, task);
    }

    @Override
    public void taskRejected(Object executor, Object task) {
        // The executor call throws: its site must not outlive it (see ExecutorHooks.submitSiteDone).
        dev.vigil.bootstrap.VigilHooks.currentSlot().submitSite = null;
        TaskRecord rec = tasks.remove(task);
        if (rec != null) {
            forgetOpen(rec);
        }
    }

    @Override
    public void taskStarted(Object executor, Object task) {
        TaskRecord rec = tasks.get(task);
        if (rec == null) {
            probe(executor, PROBE_STARTED);
        } else if (rec.startedMillis == 0) {
            Thread t = Thread.currentThread();
            rec.threadName = ThreadFacts.name(t);
            rec.runnerId = ThreadFacts.id(t);
            rec.runner = t;
            rec.startedMillis = clock.getAsLong();
        }
    }

    @Override
    public void taskFinished(Object executor, Object task, Throwable thrown) {
        TaskRecord rec = tasks.remove(task);
        if (rec == null) {
            probe(executor, PROBE_FINISHED);
            return;
        }
        forgetOpen(rec);
        rec.runner = null;
        rec.endedMillis = clock.getAsLong();
        rec.outcome = thrown != null || rec.failed ? "failed"
                : TaskState.cancelled(task) ? "cancelled" : "completed"; // never an application's isCancelled
        // The ring slot is the task's own id (no shared counter to increment per task); a release
        // store, no fence. An old task ending late does not push out a newer one.
        int slot = (int) (rec.id % RECENT_TASKS);
        TaskRecord there = recent.get(slot);
        if (there == null || there.id < rec.id) {
            recent.lazySet(slot, rec);
        }
        dev.vigil.agent.jfr.LowLevelEvents.taskEnded(rec.id, rec.executor.id, rec.outcome,
                rec.endedMillis - rec.submittedMillis);
    }

    @Override
    public void workerStarted(Object executor) {
        ExecutorRecord rec = executors.get(executor);
        if (rec != null) {
            Thread t = Thread.currentThread();
            rec.workers.put(ThreadFacts.id(t), new java.lang.ref.WeakReference<>(t));
        }
    }

    @Override
    public void workerEnded(Object executor) {
        ExecutorRecord rec = executors.get(executor);
        if (rec != null) {
            rec.workers.remove(ThreadFacts.id(Thread.currentThread()));
        }
    }

    /**
     * How many of its workers alive now are not daemons (each keeps the JVM from exiting). Only
     * {@code ThreadPoolExecutor} workers are known; a {@code ForkJoinPool}'s count as 0 (its
     * default workers are daemons).
     */
    static int nonDaemonWorkers(ExecutorRecord rec) {
        int n = 0;
        for (java.lang.ref.WeakReference<Thread> ref : rec.workers.values()) {
            Thread t = ref.get();
            if (t != null && t.isAlive() && !t.isDaemon()) {
                n++;
            }
        }
        return n;
    }

    private void forgetOpen(TaskRecord rec) {
        if (rec.forkJoin) {
            ExecutorHooks.openForkJoinTasks(Math.max(0, openForkJoin.decrementAndGet()));
        } else if (rec.executor.pileUp == null) {
            rec.executor.pendingScheduled.decrementAndGet();
        }
    }

    /**
     * A scheduler's count of unfinished delayed tasks passed the mark: read its queue (once per 256
     * schedules past the mark, until a pile-up is seen) to see whether they are really there.
     */
    private static final dev.vigil.agent.host.JdkMethod REMOVE_ON_CANCEL =
            new dev.vigil.agent.host.JdkMethod("getRemoveOnCancelPolicy");
    private static final dev.vigil.agent.host.JdkMethod GET_QUEUE = new dev.vigil.agent.host.JdkMethod("getQueue");

    private void checkPileUp(java.util.concurrent.ScheduledThreadPoolExecutor stpe, ExecutorRecord rec) {
        java.util.concurrent.BlockingQueue<?> queue = dev.vigil.bootstrap.JdkFields.queue(stpe);
        if (queue == null && GET_QUEUE.isJdkCode(stpe)) {
            queue = stpe.getQueue(); // the field is not readable here, but getQueue() is the JDK's own
        }
        if (queue == null) {
            return;
        }
        Object[] queued = queue.toArray(); // the pool's own DelayedWorkQueue: JDK code
        if (queued.length < PILE_UP_MARK) {
            rec.pendingScheduled.set(queued.length); // cancelled and removed, or purged
            return;
        }
        int cancelled = 0;
        java.util.Map<Site, Integer> bySite = new java.util.HashMap<>();
        for (Object q : queued) {
            if (TaskState.cancelled(q)) {
                cancelled++;
            }
            TaskRecord t = tasks.get(q);
            if (t != null) {
                bySite.merge(t.submitSite, 1, Integer::sum);
            }
        }
        Site top = null;
        int topCount = 0;
        for (java.util.Map.Entry<Site, Integer> e : bySite.entrySet()) {
            if (e.getValue() > topCount) {
                top = e.getKey();
                topCount = e.getValue();
            }
        }
        rec.pileUp = new TimerPileUp(rec, queued.length, cancelled, REMOVE_ON_CANCEL.isJdkCode(stpe) && stpe.getRemoveOnCancelPolicy(), top, topCount,
                clock.getAsLong());
    }

    // ------------------------------------------------------------------ waits on futures

    /**
     * Whether waits are followed at all ({@code stuckWait} off: no record, no creation site). Set
     * once, before the hooks are installed.
     */
    private volatile boolean followWaits = true;
    /** Every thread that has waited on a future and is still alive (pruned by the watch). */
    private final java.util.concurrent.ConcurrentLinkedQueue<ThreadWaits> waiters =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger waiterCount = new java.util.concurrent.atomic.AtomicInteger();
    /** Marks a thread's slot once the thread cap was reached: that thread's waits are not followed. */
    private static final Object UNTRACKED = new Object();
    /** Where application code created the futures it may wait on ({@code A|class|method|line}). */
    private final WeakIdentityMap<String> futureSites = new WeakIdentityMap<>();
    private final AtomicLong futureSitesUntracked = new AtomicLong();
    /** Futures whose creation site is remembered at once at most; the rest are counted. */
    static final int MAX_FUTURE_SITES = 50_000;

    public void followWaits(boolean on) {
        followWaits = on;
    }

    /**
     * The hot path of every {@code get()}/{@code join()} on a future not yet done: two release
     * stores into the thread's own {@link ThreadWaits} (created once per thread).
     */
    @Override
    public Object futureWaitStarted(dev.vigil.bootstrap.ThreadSlot slot, Object future) {
        if (future == probeFuture) {
            probeSaw(PROBE_WAITED);
        }
        Object mine = slot.futures;
        if (mine instanceof ThreadWaits tw) {
            return tw.start(future);
        }
        if (mine == UNTRACKED || !followWaits) {
            return null;
        }
        if (waiterCount.incrementAndGet() > MAX_WAITS) {
            waiterCount.decrementAndGet();
            waitsUntracked.incrementAndGet();
            slot.futures = UNTRACKED;
            return null;
        }
        ThreadWaits tw = new ThreadWaits(Thread.currentThread());
        waiters.add(tw);
        slot.futures = tw;
        return tw.start(future);
    }

    @Override
    public Object futureWaitStarted(Object future) {
        return futureWaitStarted(dev.vigil.bootstrap.VigilHooks.currentSlot(), future);
    }

    @Override
    public void futureWaitEnded(Object token) {
        FutureWait w = ThreadWaits.end(token);
        if (w != null) {
            w.end(clock.getAsLong());
        }
    }

    /**
     * Waits going on now, as the watch sees them at {@code now}: a wait seen for the first time gets
     * its snapshot (its start is now); a snapshot whose wait is over is ended. Threads that are gone
     * are dropped.
     */
    List<FutureWait> openWaits(long now) {
        List<FutureWait> out = new ArrayList<>();
        for (java.util.Iterator<ThreadWaits> it = waiters.iterator(); it.hasNext(); ) {
            ThreadWaits tw = it.next();
            boolean alive = tw.thread.isAlive();
            FutureWait innermost = null;
            for (ThreadWaits.Level lv : tw.levels) {
                FutureWait w = lv.snapshot();
                long id = lv.waitId();
                if (w != null && (w.waitId != id || !alive) && !w.ended()) {
                    w.end(now); // its thread missed the snapshot (a race) or died waiting
                }
                if (id == 0 || !alive) {
                    continue;
                }
                Object f = lv.futureIf(id);
                if (f == null) {
                    continue;
                }
                if (w == null || w.waitId != id) {
                    w = new FutureWait(lv, id, f, now);
                    w.createdSite = futureSites.get(f);
                    lv.snapshot(w);
                    if (lv.waitId() != id) {
                        w.end(now); // ended while the snapshot was being made
                        continue;
                    }
                } else if (!w.examined && lv.progress != w.progressSeen) {
                    w.progressSeen = lv.progress; // the thread ran tasks that waited and finished
                    w.startMillis = now;
                }
                innermost = w;
            }
            if (innermost != null) {
                // Only the innermost wait of a thread is its own: an outer one (a worker that helped
                // while it waited) waits because the inner one does, and the thread's stack shows the inner.
                out.add(innermost);
            }
            if (!alive && waiters.remove(tw)) {
                waiterCount.decrementAndGet();
            }
        }
        futureSites.expunge();
        return out;
    }

    /** Waits going on now (see {@link #openWaits(long)}). */
    List<FutureWait> openWaits() {
        return openWaits(clock.getAsLong());
    }

    /** Application code created {@code future} at {@code site}: remembered weakly, for a wait on it. */
    @Override
    public void futureCreated(Object future, String site) {
        if (!followWaits) {
            return;
        }
        if (!futureSites.hasRoom(MAX_FUTURE_SITES)) {
            futureSitesUntracked.incrementAndGet();
            return;
        }
        futureSites.putIfAbsent(future, site);
    }

    /** The open task record of {@code task}, or null. */
    TaskRecord openTask(Object task) {
        return task == null ? null : tasks.get(task);
    }

    /** The reachable executor of {@code rec}, or null. */
    Object executorOf(ExecutorRecord rec) {
        for (java.util.Map.Entry<Object, ExecutorRecord> e : executors.entries()) {
            if (e.getValue() == rec) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Schedulers seen holding a pile of delayed tasks (still reachable). */
    List<TimerPileUp> pileUps() {
        List<TimerPileUp> out = new ArrayList<>();
        for (java.util.Map.Entry<Object, ExecutorRecord> e : executors.entries()) {
            TimerPileUp p = e.getValue().pileUp;
            if (p != null && e.getValue().inScope) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The submitting site: a short walk to the first application frame, and the whole stack only
     * the first time that frame is seen (submissions are a hot path).
     */
    /**
     * Where the task being submitted comes from. An application call site brackets its executor
     * call with its site constant (ExecutorSiteVisitor): one map lookup. Else (a submission from
     * a library, or the first from a constant) the stack is walked to the first application frame.
     */
    private Site submitSite() {
        String constant = dev.vigil.bootstrap.VigilHooks.currentSlot().submitSite;
        if (constant == null) {
            return walkedSubmitSite();
        }
        Site site = sitesByConstant.get(constant);
        if (site == null) {
            site = walkedSubmitSite();
            if (sitesByConstant.size() < MAX_SITES) {
                sitesByConstant.putIfAbsent(constant, site);
            }
        }
        return site;
    }

    private Site walkedSubmitSite() {
        PackageFilter packages = stacks.packages();
        Optional<StackWalker.StackFrame> caller = walker.walk(s -> s
                .filter(f -> packages.isApplication(f.getClassName()))
                .findFirst());
        String key = caller.map(f -> f.getClassName() + '#' + f.getMethodName() + ':' + f.getLineNumber())
                .orElse("(no application frame)");
        Site site = submitSites.get(key);
        if (site == null) {
            if (submitSites.size() >= MAX_SITES) {
                sitesTruncated.incrementAndGet();
                return new Site("task submitted", null, List.of());
            }
            site = submitSites.computeIfAbsent(key,
                    k -> StackFrames.site("task submitted", callerFrames(new Throwable().getStackTrace())));
        }
        return site;
    }

    // ------------------------------------------------------------------ futures

    /**
     * One failure: one exception object and every future it failed. A failure travels: a
     * {@code CompletableFuture} fails, its dependents (a {@code thenApply}, the relays inside
     * {@code allOf}) fail with the same exception. It is observed when any future in that chain is
     * read or waited on, and lost only when none is.
     */
    static final class FailureGroup {
        final FailureRecord record;
        volatile boolean observed;
        final java.util.concurrent.atomic.AtomicInteger unreadFutures = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

        FailureGroup(FailureRecord record) {
            this.record = record;
        }
    }

    @Override
    public void futureFailed(Object future, Throwable failure, boolean waitedOn) {
        TaskRecord failedTask = tasks.get(future);
        if (failedTask != null) {
            failedTask.failed = true; // for the timeline, whether or not anyone reads the failure
        }
        if (failures.get(future) != null) {
            return;
        }
        Throwable cause = unwrap(failure);
        if (cancelledByItsExecutor(failedTask, cause)) {
            return;
        }
        FailureGroup group = failureRoots.get(cause);
        if (group == null) {
            if (failureRoots.size() >= MAX_FAILURES) {
                sweep();
                if (failureRoots.size() >= MAX_FAILURES) {
                    failuresUntracked.incrementAndGet();
                    return;
                }
            }
            List<Frame> frames = stacks.frames(dev.vigil.agent.host.ThrowableFacts.stack(cause), 0);
            TaskRecord task = failedTask;
            Site submit = task == null ? null : task.submitSite;
            if (StackFrames.firstApplicationFrame(frames) == null
                    && (submit == null || StackFrames.firstApplicationFrame(submit.frames()) == null)) {
                return; // a failure inside the JDK's own machinery, nothing of the application's
            }
            Thread current = Thread.currentThread();
            FailureRecord rec = new FailureRecord(future.getClass().getName(), cause.getClass().getName(),
                    dev.vigil.agent.host.ThrowableFacts.message(cause), StackFrames.site("failure thrown", frames), submit, current.getName(),
                    ThreadFacts.id(current), clock.getAsLong());
            FailureGroup fresh = new FailureGroup(rec);
            FailureGroup raced = failureRoots.putIfAbsent(cause, fresh);
            group = raced == null ? fresh : raced;
        }
        if (waitedOn) {
            group.observed = true; // a reader or a dependent stage already waits for this future
            return;
        }
        if (failures.putIfAbsent(future, group) == null) {
            group.unreadFutures.incrementAndGet();
            ExecutorHooks.pendingFailures(failures.size());
        }
    }

    /**
     * A task that ends in {@code InterruptedException} after its executor's {@code shutdownNow()}
     * was cancelled, as asked: the interrupt is how {@code shutdownNow()} stops running tasks, and
     * the failure is its answer, not a failure anyone must read (commons-lang3's own tests:
     * {@code BackgroundInitializer}'s task interrupted by {@code shutdownNow()}). Exactly that class,
     * by identity: no application code runs.
     */
    private static boolean cancelledByItsExecutor(TaskRecord task, Throwable cause) {
        return task != null && task.executor != null && cause.getClass() == InterruptedException.class
                && task.executor.stoppedNowMillis != 0;
    }

    @Override
    public void futureObserved(Object future) {
        FailureGroup group = failures.remove(future);
        if (group != null) {
            group.observed = true;
            group.unreadFutures.decrementAndGet();
            ExecutorHooks.pendingFailures(failures.size());
        }
    }

    private static boolean createdByJdkInitializer(StackTraceElement[] raw) {
        for (StackTraceElement e : raw) {
            if (e.getMethodName().equals("<clinit>") && PackageFilter.isPlatform(e.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable x = t;
        // CompletionException and ExecutionException may be subclassed: their causes read as Throwable's.
        for (int i = 0; i < 64 && (x instanceof CompletionException || x instanceof ExecutionException)
                && dev.vigil.agent.host.ThrowableFacts.cause(x) != null; i++) {
            x = dev.vigil.agent.host.ThrowableFacts.cause(x);
        }
        return x;
    }

    /** Frames below the agent and the {@code java.util.concurrent} code that called the hook. */
    private List<Frame> callerFrames(StackTraceElement[] raw) {
        int i = 0;
        while (i < raw.length && (raw[i].getClassName().startsWith("dev.vigil.")
                && !stacks.packages().isApplication(raw[i].getClassName())
                || raw[i].getClassName().startsWith("java.util.concurrent."))) {
            i++;
        }
        return stacks.frames(raw, i);
    }

    // ------------------------------------------------------------------ queries

    /** Executors still reachable, with their records. */
    List<java.util.Map.Entry<Object, ExecutorRecord>> executors() {
        return executors.entries();
    }

    /** Open tasks still reachable. */
    List<java.util.Map.Entry<Object, TaskRecord>> openTasks() {
        return tasks.entries();
    }

    /**
     * Failures whose future became unreachable before anyone read them (kept, at most
     * {@link #MAX_UNOBSERVED}); with {@code includePending}, also those still unread now.
     */
    List<FailureRecord> unobservedFailures(boolean includePending) {
        synchronized (unobserved) {
            sweep();
            List<FailureRecord> out = new ArrayList<>(unobserved);
            if (includePending) {
                java.util.Set<FailureGroup> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
                for (java.util.Map.Entry<Object, FailureGroup> e : failures.entries()) {
                    FailureGroup g = e.getValue();
                    if (!g.observed && !g.reported.get() && seen.add(g)) {
                        out.add(g.record);
                    }
                }
            }
            return out;
        }
    }

    /**
     * Settles failures whose unread futures have all been collected: lost unless another future of
     * the same failure was observed. Also forgets the exceptions that are gone.
     */
    private void sweep() {
        synchronized (unobserved) {
            for (FailureGroup g : failures.drainCollected()) {
                if (g.unreadFutures.decrementAndGet() <= 0 && !g.observed && g.reported.compareAndSet(false, true)) {
                    if (unobserved.size() == MAX_UNOBSERVED) {
                        unobserved.pollFirst();
                        unobservedDropped.incrementAndGet();
                    }
                    unobserved.addLast(g.record);
                }
            }
            failureRoots.drainCollected();
            ExecutorHooks.pendingFailures(failures.size());
        }
    }

    /**
     * Starts a new scope (MBean {@code resetScope}): executors, open tasks and failures seen so far
     * can no longer become findings; what happens from now on can.
     */
    public void resetScope() {
        for (java.util.Map.Entry<Object, ExecutorRecord> e : executors.entries()) {
            e.getValue().inScope = false;
        }
        for (java.util.Map.Entry<Object, TaskRecord> e : tasks.entries()) {
            TaskRecord rec = tasks.remove(e.getKey());
            if (rec != null) {
                forgetOpen(rec);
            }
        }
        for (int i = 0; i < RECENT_TASKS; i++) {
            recent.set(i, null);
        }
        idBase = taskIds.get();
        synchronized (unobserved) {
            for (java.util.Map.Entry<Object, FailureGroup> e : failures.entries()) {
                e.getValue().observed = true;
                failures.remove(e.getKey());
            }
            unobserved.clear();
            ExecutorHooks.pendingFailures(failures.size());
        }
    }

    /** Executors listed in a report's executor table at most; the rest are counted. */
    static final int MAX_EXECUTORS_LISTED = 1_000;

    /** The report's executor table: every application executor still reachable, oldest first. */
    public List<dev.vigil.report.model.ExecutorSummary> summaries() {
        List<java.util.Map.Entry<Object, ExecutorRecord>> live = new ArrayList<>(executors.entries());
        live.sort(java.util.Comparator.comparingLong(e -> e.getValue().id));
        executorsNotListed.set(Math.max(0, live.size() - MAX_EXECUTORS_LISTED));
        List<dev.vigil.report.model.ExecutorSummary> out = new ArrayList<>();
        for (java.util.Map.Entry<Object, ExecutorRecord> e : live) {
            if (out.size() == MAX_EXECUTORS_LISTED) {
                break;
            }
            ExecutorRecord r = e.getValue();
            ExecutorLoad load = load(e.getKey(), e.getValue());
            out.add(new dev.vigil.report.model.ExecutorSummary(r.id, r.type, r.site.site().location(),
                    java.time.Instant.ofEpochMilli(r.createdMillis).toString(),
                    r.shutdownMillis == 0 ? null : java.time.Instant.ofEpochMilli(r.shutdownMillis).toString(),
                    load.threads(), load.active(), load.queued()));
        }
        return out;
    }

    /** Open tasks listed in a report's task timeline at most; the rest are counted. */
    static final int MAX_OPEN_TASKS_LISTED = 5_000;
    private final AtomicLong tasksNotListed = new AtomicLong();

    /**
     * The report's task timeline: every open task (at most {@link #MAX_OPEN_TASKS_LISTED}) and the
     * {@link #RECENT_TASKS} most recent finished ones, oldest submission first. Tasks not listed
     * (older finished ones, open ones past the cap) are counted in {@code tasksNotListed}.
     */
    public List<dev.vigil.report.model.TaskLifetime> taskLifetimes() {
        List<TaskRecord> open = new ArrayList<>();
        for (java.util.Map.Entry<Object, TaskRecord> e : tasks.entries()) {
            open.add(e.getValue());
        }
        open.sort(java.util.Comparator.comparingLong(r -> r.id));
        long notListed = Math.max(0, open.size() - MAX_OPEN_TASKS_LISTED);
        List<TaskRecord> all = new ArrayList<>(open.subList(0, Math.min(open.size(), MAX_OPEN_TASKS_LISTED)));
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (TaskRecord r : all) {
            seen.add(r.id);
        }
        int kept = 0;
        for (int i = 0; i < RECENT_TASKS; i++) {
            TaskRecord r = recent.get(i);
            if (r != null && seen.add(r.id)) {
                all.add(r);
                kept++;
            }
        }
        long finished = taskIds.get() - idBase - open.size(); // rejected tasks count here too
        notListed += Math.max(0, finished - kept);
        tasksNotListed.set(notListed);
        all.sort(java.util.Comparator.comparingLong(r -> r.id));
        List<dev.vigil.report.model.TaskLifetime> out = new ArrayList<>(all.size());
        for (TaskRecord r : all) {
            String state = r.outcome != null ? r.outcome : r.startedMillis != 0 ? "running" : "queued";
            out.add(new dev.vigil.report.model.TaskLifetime(r.id, r.executor.id, r.submitSite.location(),
                    iso(r.submittedMillis), r.startedMillis == 0 ? null : iso(r.startedMillis),
                    r.endedMillis == 0 ? null : iso(r.endedMillis), r.threadName,
                    r.runnerId < 0 ? null : r.runnerId, state));
        }
        return out;
    }

    private static String iso(long millis) {
        return java.time.Instant.ofEpochMilli(millis).toString();
    }

    /** What this ledger dropped to stay bounded, for {@code agent.truncated}. */
    public java.util.Map<String, Long> truncated() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("tasksUntracked", tasksUntracked());
        m.put("failuresUntracked", failuresUntracked());
        m.put("executorSitesTruncated", sitesTruncated());
        m.put("executorsNotListed", executorsNotListed.get());
        m.put("futureWaitsUntracked", waitsUntracked.get());
        m.put("futureSitesUntracked", futureSitesUntracked.get());
        m.put("tasksNotListed", tasksNotListed.get());
        return m;
    }

    public long tasksUntracked() {
        return tasksUntracked.get();
    }

    public long failuresUntracked() {
        return failuresUntracked.get() + unobservedDropped.get();
    }

    public long sitesTruncated() {
        return sitesTruncated.get();
    }
}
