package dev.vigil.agent.executors;

import dev.vigil.agent.runtime.WeakIdentityMap;
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
    private static final int SITE_KEY_DEPTH = 8;

    private final StackFrames stacks;
    private final LongSupplier clock;
    private final StackWalker walker = StackWalker.getInstance();
    private final AtomicLong ids = new AtomicLong();

    private final WeakIdentityMap<ExecutorRecord> executors = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, StartSite> creationSites = new ConcurrentHashMap<>();
    private final WeakIdentityMap<TaskRecord> tasks = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, Site> submitSites = new ConcurrentHashMap<>();
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
        }
    }

    // ------------------------------------------------------------------ tasks

    @Override
    public void taskSubmitted(Object executor, Object task) {
        ExecutorRecord rec = executors.get(executor);
        if (rec == null) {
            return;
        }
        if (tasks.size() >= MAX_TASKS) {
            tasksUntracked.incrementAndGet();
            return;
        }
        tasks.putIfAbsent(task, new TaskRecord(rec, submitSite(), clock.getAsLong()));
    }

    @Override
    public void taskRejected(Object executor, Object task) {
        tasks.remove(task);
    }

    @Override
    public void taskStarted(Object executor, Object task) {
        TaskRecord rec = tasks.get(task);
        if (rec != null) {
            rec.threadName = Thread.currentThread().getName();
            rec.startedMillis = clock.getAsLong();
        }
    }

    @Override
    public void taskFinished(Object executor, Object task, Throwable thrown) {
        tasks.remove(task);
    }

    /**
     * The submitting site: a short walk to the first application frame, and the whole stack only
     * the first time that frame is seen (submissions are a hot path).
     */
    private Site submitSite() {
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
        if (failures.get(future) != null) {
            return;
        }
        Throwable cause = unwrap(failure);
        FailureGroup group = failureRoots.get(cause);
        if (group == null) {
            if (failureRoots.size() >= MAX_FAILURES) {
                sweep();
                if (failureRoots.size() >= MAX_FAILURES) {
                    failuresUntracked.incrementAndGet();
                    return;
                }
            }
            List<Frame> frames = stacks.frames(cause.getStackTrace(), 0);
            TaskRecord task = tasks.get(future);
            Site submit = task == null ? null : task.submitSite;
            if (StackFrames.firstApplicationFrame(frames) == null
                    && (submit == null || StackFrames.firstApplicationFrame(submit.frames()) == null)) {
                return; // a failure inside the JDK's own machinery, nothing of the application's
            }
            Thread current = Thread.currentThread();
            FailureRecord rec = new FailureRecord(future.getClass().getName(), cause.getClass().getName(),
                    cause.getMessage(), StackFrames.site("failure thrown", frames), submit, current.getName(),
                    current.getId(), clock.getAsLong());
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
        while ((x instanceof CompletionException || x instanceof ExecutionException) && x.getCause() != null) {
            x = x.getCause();
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
            tasks.remove(e.getKey());
        }
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
            ExecutorLoad load = ExecutorLoad.of(e.getKey());
            out.add(new dev.vigil.report.model.ExecutorSummary(r.id, r.type, r.site.site().location(),
                    java.time.Instant.ofEpochMilli(r.createdMillis).toString(),
                    r.shutdownMillis == 0 ? null : java.time.Instant.ofEpochMilli(r.shutdownMillis).toString(),
                    load.threads(), load.active(), load.queued()));
        }
        return out;
    }

    /** What this ledger dropped to stay bounded, for {@code agent.truncated}. */
    public java.util.Map<String, Long> truncated() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("tasksUntracked", tasksUntracked());
        m.put("failuresUntracked", failuresUntracked());
        m.put("executorSitesTruncated", sitesTruncated());
        m.put("executorsNotListed", executorsNotListed.get());
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
