package dev.vigil.agent.executors;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Threads blocked in {@code get()}/{@code join()} on a future for {@code stuckWait} or longer,
 * checked by {@link ExecutorWatch} on Vigil's own thread, and at exit for threads still waiting:
 * <ul>
 *   <li>on a {@code CompletableFuture}: {@code future-never-completed} (nothing completes it);</li>
 *   <li>on any other future ({@code FutureTask} and the executors' futures): {@code stuck-wait} with
 *       {@code details.primitive = future}, the task's runner (or its queue) as the releaser.</li>
 * </ul>
 * At JVM exit, a thread still waiting on a {@code CompletableFuture} is reported whatever the
 * threshold (an error: nothing will complete it now).
 * One finding per wait, kept (with {@code details.ended = true}) after the wait ended. Waits with no
 * application frame on the waiting thread's stack belong to the JDK and are ignored.
 */
public final class FutureWaitDetector implements Detector {

    /** Stuck waits kept for the report; the rest are counted. */
    static final int MAX_REPORTED = 1_000;

    private final ExecutorLedger ledger;
    private final StackFrames stacks;
    private final dev.vigil.agent.stack.SiteFrames siteFrames;
    private final long stuckMillis;
    private final LongSupplier clock;
    private final Map<FutureWait, Stuck> reported = new LinkedHashMap<>();
    private final AtomicLong notReported = new AtomicLong();

    /** A wait past the threshold: where it waits, and who could end it, as seen then. */
    private record Stuck(FutureWait futureWait, List<Frame> frames, TaskRecord task, Severity severity,
                         List<Map<String, Object>> releasers, List<FutureWait> alsoWaiting) {
    }

    /** Other threads stuck at the same fork/join wait site, listed in its finding at most. */
    static final int MAX_ALSO_WAITING = 16;

    public FutureWaitDetector(ExecutorLedger ledger, StackFrames stacks, long stuckMillis, LongSupplier clock) {
        this.ledger = ledger;
        this.stacks = stacks;
        this.siteFrames = new dev.vigil.agent.stack.SiteFrames(stacks);
        this.stuckMillis = stuckMillis;
        this.clock = clock;
        ledger.followWaits(stuckMillis > 0);
    }

    private volatile java.util.function.Predicate<Thread> shutdownHook = t -> false;

    /**
     * Which threads are shutdown hooks. Their waits are the program stopping in order (Jetty's
     * stop waiting for its connectors to drain): bounded by the exit, and a hook that never ends
     * is the exit report's to judge.
     */
    public void shutdownHooks(java.util.function.Predicate<Thread> isHook) {
        this.shutdownHook = isHook;
    }

    public long stuckMillis() {
        return stuckMillis;
    }

    /** Examines waits that just passed the threshold; true when a new finding was made. */
    public synchronized boolean check() {
        if (stuckMillis <= 0) {
            return false;
        }
        long now = clock.getAsLong();
        boolean any = false;
        for (FutureWait w : ledger.openWaits(now)) {
            if (!w.examined && w.forkJoin) {
                poolProgress(w, now);
            }
            if (!w.examined && now - w.startMillis >= stuckMillis) {
                any |= examine(w, false);
            }
        }
        return any;
    }

    /**
     * A wait on a fork/join task is not stuck while its pool makes progress: a long computation keeps
     * workers active (a parallel stream waited on by {@code main}, a worker's join that helps). Its
     * clock restarts at every pass that finds an active worker in the pool; only a pool whose workers
     * are all idle or blocked in joins (the pool deactivates those) lets the wait grow old. Not the
     * steal count (a balanced fork/join steals a handful of large subtasks early, then none) nor
     * {@code getRunningThreadCount()} (0 on JDK 25 while every worker computes).
     */
    private static final dev.vigil.agent.host.JdkMethod FJ_ACTIVE =
            new dev.vigil.agent.host.JdkMethod("getActiveThreadCount");

    private void poolProgress(FutureWait w, long now) {
        java.util.concurrent.ForkJoinPool pool = poolOf(w);
        if (pool != null && FJ_ACTIVE.isJdkCode(pool) && pool.getActiveThreadCount() > 0) {
            w.startMillis = now;
        }
    }

    private java.util.concurrent.ForkJoinPool poolOf(FutureWait w) {
        if (w.thread instanceof java.util.concurrent.ForkJoinWorkerThread worker) {
            return ThreadFacts.pool(worker);
        }
        TaskRecord task = ledger.openTask(w.future);
        if (task != null && ledger.executorOf(task.executor) instanceof java.util.concurrent.ForkJoinPool p) {
            return p;
        }
        return java.util.concurrent.ForkJoinPool.commonPool();
    }

    private boolean examine(FutureWait w, boolean atExit) {
        if (!atExit && shutdownHook.test(w.thread)) {
            return false; // looked at again at exit: a hook that never ends is still reported then
        }
        w.examined = true;
        List<Frame> frames = stacks.frames(ThreadFacts.stack(w.thread), 0);
        if (w.ended() || StackFrames.firstApplicationFrame(frames) == null) {
            return false; // over already, or a wait inside the JDK's own machinery
        }
        if (reported.size() >= MAX_REPORTED) {
            notReported.incrementAndGet();
            return false;
        }
        Object future = w.future;
        TaskRecord task = ledger.openTask(future);
        if ((w.forkJoin || w.completable) && joinedSameSite(w, frames)) {
            // Many threads stuck at one line are one finding: fork/join workers at one join line,
            // and threads (virtual ones by the thousand) waiting on one CompletableFuture there.
            return false;
        }
        List<Map<String, Object>> releasers = new ArrayList<>();
        Severity severity = Severity.WARNING;
        if (!w.completable) {
            severity = releasers(w, task, releasers);
        }
        reported.put(w, new Stuck(w, frames, task, severity, releasers, new ArrayList<>()));
        return true;
    }

    /**
     * Adds {@code w}'s thread to a wait still going on at the same site: any fork/join wait there,
     * or a wait on the same {@code CompletableFuture}; true when there was one.
     */
    private boolean joinedSameSite(FutureWait w, List<Frame> frames) {
        String key = StackFrames.siteKey(frames, 1); // the join line, whatever the recursion depth
        for (Stuck s : reported.values()) {
            FutureWait first = s.futureWait();
            boolean alike = w.forkJoin ? first.forkJoin : first.completable && first.future == w.future;
            if (alike && !first.ended() && StackFrames.siteKey(s.frames(), 1).equals(key)) {
                if (s.alsoWaiting().size() < MAX_ALSO_WAITING) {
                    s.alsoWaiting().add(w);
                }
                return true;
            }
        }
        return false;
    }

    /** Who could end a wait on a task's future: its runner, or the executor's workers while it is queued. */
    private Severity releasers(FutureWait w, TaskRecord task, List<Map<String, Object>> out) {
        if (task == null) {
            return Severity.WARNING; // not a task of an application executor: nobody known
        }
        Thread runner = task.runner;
        if (task.startedMillis != 0) {
            boolean alive = runner != null && runner.isAlive();
            out.add(releaser(task.threadName, task.runnerId, alive, "running the task"));
            return alive ? Severity.WARNING : Severity.ERROR;
        }
        // Queued: it runs only when a worker of its executor is free. Are they all waiting, this thread among them?
        Object executor = ledger.executorOf(task.executor);
        ExecutorLoad load = ExecutorLoad.of(executor);
        int waitingWorkers = 0;
        for (FutureWait other : ledger.openWaits()) {
            TaskRecord running = runningTaskOf(other.thread, task.executor);
            if (running != null) {
                waitingWorkers++;
                out.add(releaser(other.threadName, other.threadId, other.thread.isAlive(),
                        other == w ? "worker of the executor, waiting here itself" : "worker of the executor, itself waiting"));
            }
        }
        int maximum = ExecutorLoad.maximumPoolSize(executor);
        boolean full = maximum >= 0 && load.threads() >= maximum;
        boolean shutDown = task.executor.shutdownMillis != 0 && load.threads() == 0;
        return full && waitingWorkers >= load.threads() || shutDown ? Severity.ERROR : Severity.WARNING;
    }

    private TaskRecord runningTaskOf(Thread t, ExecutorRecord executor) {
        for (Map.Entry<Object, TaskRecord> e : ledger.openTasks()) {
            TaskRecord r = e.getValue();
            if (r.executor == executor && r.runner == t) {
                return r;
            }
        }
        return null;
    }

    private static Map<String, Object> releaser(String name, long id, boolean alive, String role) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thread", name);
        m.put("threadId", id);
        m.put("alive", alive);
        m.put("role", role);
        return m;
    }

    @Override
    public synchronized List<Finding> findings(Phase phase) {
        if (stuckMillis <= 0) {
            return List.of();
        }
        if (phase == Phase.EXITING) {
            // Still waiting on a CompletableFuture as the JVM shuts down: nothing will ever complete
            // it. (Not when exit is only blocked: the program may still make progress.)
            for (FutureWait w : ledger.openWaits(clock.getAsLong())) {
                if (!w.examined && w.completable) {
                    examine(w, true);
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        long now = clock.getAsLong();
        for (Stuck s : reported.values()) {
            out.add(finding(s, phase, now));
        }
        return out;
    }

    private Finding finding(Stuck s, Phase phase, long now) {
        FutureWait w = s.futureWait();
        boolean ended = w.ended();
        long millis = (ended ? w.endMillis : now) - w.startMillis;
        Site at = StackFrames.site("waiting at", s.frames());
        List<Site> sites = new ArrayList<>();
        sites.add(at);
        if (s.task() != null) {
            sites.add(s.task().submitSite);
        }
        Site created = createdSite(w, s.frames());
        if (created != null) {
            sites.add(created);
        }
        Thread t = w.thread;
        List<ThreadRef> threads = new ArrayList<>();
        threads.add(new ThreadRef(w.threadId, w.threadName, t.isDaemon(), t.isAlive(),
                ended ? null : ThreadFacts.state(t).name(), s.frames()));
        for (FutureWait other : s.alsoWaiting()) {
            Thread o = other.thread;
            threads.add(new ThreadRef(other.threadId, other.threadName, o.isDaemon(), o.isAlive(),
                    other.ended() ? null : ThreadFacts.state(o).name(), List.of()));
        }
        for (Map<String, Object> r : s.releasers()) {
            if (!Long.valueOf(w.threadId).equals(r.get("threadId"))) {
                threads.add(new ThreadRef((Long) r.get("threadId"), (String) r.get("thread"), false,
                        (Boolean) r.get("alive"), null, List.of()));
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("primitive", "future");
        if (created != null) {
            details.put("createdAt", created.location());
        }
        if (!s.alsoWaiting().isEmpty()) {
            details.put("alsoWaiting", s.alsoWaiting().size());
        }
        details.put("waitingOn", w.describe() + (ended ? (w.cancelledAtEnd ? " (cancelled)"
                : w.doneAtEnd ? " (completed)" : " (not completed)") : " (not completed)"));
        details.put("waitingMillis", millis);
        details.put("releasers", s.releasers());
        details.put("ended", ended);
        details.put("futureType", w.futureType);
        String location = at.location();
        String lasting = ended ? "waited " + seconds(millis) : "has waited " + seconds(millis);
        if (w.completable) {
            boolean atExit = !ended && phase == Phase.EXITING;
            Severity severity = atExit ? Severity.ERROR : Severity.WARNING;
            details.put("stillWaitingAtExit", atExit);
            String what = w.describe() + (created != null ? " (created at " + created.location() + ")" : "");
            String title = "Thread '" + w.threadName + "' " + lasting + " at " + location + " on "
                    + what + ", which nothing completed";
            String message = "Thread '" + w.threadName + "' called get()/join() at " + location + " on "
                    + what + " and " + lasting + (ended ? (w.doneAtEnd ? " before it was completed."
                    : "; it gave up (timeout or interrupt) and the future was still not completed.")
                    : "; nothing has completed the future yet" + (atExit
                    ? " and the program is ending with the thread still waiting." : "."))
                    + " A CompletableFuture is completed only by whoever holds it: a callback, a task, or an "
                    + "error path that forgot to.";
            String fix = "Complete the future on every path, errors included: completeExceptionally(e) in every "
                    + "catch and failure callback (or build it with supplyAsync/handle so the runtime does), and "
                    + "wait with a timeout (get(timeout), orTimeout(), completeOnTimeout()) so a lost completion "
                    + "surfaces as an error instead of a hang.";
            return new Finding(FindingKinds.FUTURE_NEVER_COMPLETED, severity,
                    Fingerprints.of(FindingKinds.FUTURE_NEVER_COMPLETED, ExecutorLeakDetector.siteKey(at)), title,
                    message, fix, threads, sites, details);
        }
        Severity severity = ended ? Severity.WARNING : s.severity();
        String who = s.releasers().isEmpty() ? "nobody Vigil knows of can complete it"
                : "it waits for " + describeReleasers(s.releasers());
        String title = "Thread '" + w.threadName + "' " + lasting + " at " + location + " on " + w.describe()
                + (s.task() != null ? " (task submitted at " + s.task().submitSite.location() + ")" : "");
        boolean forkJoin = w.forkJoin;
        String message = "Thread '" + w.threadName + "' called " + (forkJoin ? "join()/get()" : "get()") + " at "
                + location + " on " + w.describe() + " and " + lasting + (ended ? "." : " so far") + "; " + who + "."
                + (s.alsoWaiting().isEmpty() ? "" : " " + s.alsoWaiting().size() + " more thread(s) wait at the same line.")
                + (severity == Severity.ERROR ? " Nobody who could end this wait can: it never ends." : "");
        String fix = forkJoin
                ? "A ForkJoinTask completes only once it runs: fork() (or compute() directly) every subtask before "
                + "joining it, invokeAll(left, right) for pairs, and never block a fork/join worker on anything but "
                + "another task of the pool. Wait from outside with get(timeout, unit) so a stuck computation "
                + "surfaces as an error."
                : "Never block a pool's worker on a task queued in the same pool (thread-starvation "
                + "deadlock): use a separate pool, or compose (thenCompose) instead of get(). Wait with a timeout "
                + "(get(timeout, unit)) and cancel the task when it expires, so a stuck task surfaces as an error.";
        return new Finding(FindingKinds.STUCK_WAIT, severity,
                Fingerprints.of(FindingKinds.STUCK_WAIT, "future\n" + ExecutorLeakDetector.siteKey(at)), title,
                message, fix, threads, sites, details);
    }

    /** Where the future waited on was created ({@code new CompletableFuture}, {@code supplyAsync}...), when known. */
    private Site createdSite(FutureWait w, List<Frame> waitFrames) {
        String site = w.createdSite;
        if (site == null) {
            return null;
        }
        List<Frame> frames = siteFrames.at(site, waitFrames);
        return frames.isEmpty() ? null : new Site("future created", frames.get(0).location(), frames);
    }

    private static String describeReleasers(List<Map<String, Object>> rs) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> r : rs) {
            parts.add("'" + r.get("thread") + "' (" + r.get("role") + (Boolean.TRUE.equals(r.get("alive")) ? ""
                    : ", ended") + ")");
        }
        return String.join(", ", parts);
    }

    static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** What this detector dropped to stay bounded, for {@code agent.truncated}. */
    public Map<String, Long> truncated() {
        return Map.of("futureWaitsNotReported", notReported.get());
    }
}
