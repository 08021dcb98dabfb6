package dev.vigil.agent.report;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Phase;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.ci.FindingFilter;
import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.ExecutorSummary;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.QueueSummary;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.SemaphoreSummary;
import dev.vigil.report.model.ThreadLifetime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** Assembles a {@link Report} from the trackers and detectors. Knows no output format. */
public final class ReportBuilder {

    private final Map<String, String> options;
    private final long startMillis;
    private final ThreadLedger ledger;
    private final List<Detector> detectors;
    private final AgentHealth health;
    private final String version;
    private final List<Supplier<Map<String, Long>>> truncationCounters = new CopyOnWriteArrayList<>();
    private volatile Supplier<List<ExecutorSummary>> executorSummaries = List::of;
    private volatile Supplier<List<dev.vigil.report.model.TaskLifetime>> taskLifetimes = List::of;
    private volatile Supplier<List<QueueSummary>> queueSummaries = List::of;
    private volatile Supplier<List<SemaphoreSummary>> semaphoreSummaries = List::of;
    private volatile FindingFilter filter = FindingFilter.none();
    private volatile String mode;

    public ReportBuilder(Map<String, String> options, long startMillis, ThreadLedger ledger,
                        List<Detector> detectors, AgentHealth health, String version) {
        this.options = options;
        this.startMillis = startMillis;
        this.ledger = ledger;
        this.detectors = detectors;
        this.health = health;
        this.version = version;
    }

    private volatile Supplier<Map<String, Long>> memory;

    /** The memory governor's counters (reported in {@code agent.memory}). */
    public void memoryCounters(Supplier<Map<String, Long>> counters) {
        this.memory = counters;
    }

    /** Another tracker's counters of what it dropped to stay bounded (reported in {@code agent.truncated}). */
    public void addTruncationCounters(Supplier<Map<String, Long>> counters) {
        truncationCounters.add(counters);
    }

    /** Where the report's executor table comes from. */
    public void executorSummaries(Supplier<List<ExecutorSummary>> source) {
        this.executorSummaries = source;
    }

    /** Where the report's task timeline comes from. */
    public void taskLifetimes(Supplier<List<dev.vigil.report.model.TaskLifetime>> source) {
        this.taskLifetimes = source;
    }

    /** Where the report's queue table comes from. */
    public void queueSummaries(Supplier<List<QueueSummary>> source) {
        this.queueSummaries = source;
    }

    /** Where the report's semaphore table comes from. */
    public void semaphoreSummaries(Supplier<List<SemaphoreSummary>> source) {
        this.semaphoreSummaries = source;
    }

    public Report build(Phase phase) {
        return build(phase, phase.trigger());
    }

    /** A report judged in {@code phase}, labelled with {@code trigger} in {@code run.trigger}. */
    public Report build(Phase phase, String trigger) {
        return build(phase, trigger, new Progress());
    }

    /** As {@link #build(Phase, String)}, keeping what it has gathered in {@code progress} as it goes. */
    public Report build(Phase phase, String trigger, Progress progress) {
        for (Detector d : detectors) {
            progress.at("detector " + d.getClass().getSimpleName());
            try {
                progress.add(d.findings(phase));
            } catch (RuntimeException | LinkageError e) {
                health.error("detector " + d.getClass().getSimpleName(), e);
            }
        }
        progress.at("executor table");
        progress.executors = part("executor table", executorSummaries);
        progress.at("task timeline");
        progress.tasks = part("task timeline", taskLifetimes);
        progress.at("queue table");
        progress.queues = part("queue table", queueSummaries);
        progress.at("semaphore table");
        progress.semaphores = part("semaphore table", semaphoreSummaries);
        progress.at("agent counters");
        Map<String, Long> truncated = new LinkedHashMap<>();
        for (Supplier<Map<String, Long>> c : truncationCounters) {
            truncated.putAll(c.get());
        }
        progress.truncated = truncated;
        progress.at(null);
        return assemble(trigger, progress);
    }

    private <T> List<T> part(String name, Supplier<List<T>> source) {
        try {
            return source.get();
        } catch (RuntimeException e) {
            health.error(name, e);
            return List.of();
        }
    }

    /**
     * The report from what {@code progress} holds now. For a build that did not finish in time,
     * called from another thread: it reads only the ledger and what the build had gathered, never
     * a detector or a tracker (the one that is stuck may hold their locks).
     */
    public Report assemble(String trigger, Progress progress) {
        List<Finding> findings = progress.findings();
        findings.sort(Report.SEVERITY_ORDER);
        FindingFilter.Split split = filter.apply(findings);
        RunInfo run = new RunInfo(
                ProcessHandle.current().pid(),
                System.getProperty("sun.java.command"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                System.getProperty("java.version"),
                Instant.ofEpochMilli(startMillis).toString(),
                Instant.now().toString(),
                trigger,
                options,
                mode);
        return new Report(Report.SCHEMA_VERSION, run, split.kept(), lifetimes(), agentInfo(progress.truncated),
                split.suppressed(), progress.executors, progress.tasks, progress.queues, progress.semaphores);
    }

    /**
     * What a build has gathered so far, and the part it is in; parts not reached stay empty. A
     * build writes it from one thread; {@link #assemble} may read it from another.
     */
    public static final class Progress {
        private final List<Finding> findings = new ArrayList<>();
        private String part = "start";
        volatile List<ExecutorSummary> executors = List.of();
        volatile List<dev.vigil.report.model.TaskLifetime> tasks = List.of();
        volatile List<QueueSummary> queues = List.of();
        volatile List<SemaphoreSummary> semaphores = List.of();
        volatile Map<String, Long> truncated = Map.of();
        /**
         * Taken by whoever writes this build's report first: the build when it finishes, or the
         * thread that gave up waiting for it (which writes what was gathered). The other writes
         * nothing: one report per build, never two racing to the same files.
         */
        private final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();

        /** True for the first caller only: it writes the report. */
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        synchronized void add(List<Finding> more) {
            findings.addAll(more);
        }

        synchronized List<Finding> findings() {
            return new ArrayList<>(findings);
        }

        synchronized void at(String name) {
            part = name;
        }

        /** The part under way, or null once the build is done. */
        public synchronized String part() {
            return part;
        }
    }

    /** Suppressions and baseline: matching findings go to {@code suppressed} (see docs/ci.md). */
    public void filter(FindingFilter f) {
        this.filter = f;
    }

    /** {@code startup} or {@code attach}: the report's {@code run.mode}. */
    public void mode(String m) {
        this.mode = m;
    }

    private List<ThreadLifetime> lifetimes() {
        // live() first: it retires threads that ended unseen, which ended() must then include.
        // A thread may end between the two calls and be in both: the ended record wins.
        List<ThreadEntry> live = ledger.live();
        Map<Long, ThreadLifetime> byId = new LinkedHashMap<>();
        for (ThreadEntry e : ledger.ended()) {
            byId.put(e.id(), lifetime(e));
        }
        for (ThreadEntry e : live) {
            byId.putIfAbsent(e.id(), lifetime(e));
        }
        return new ArrayList<>(byId.values());
    }

    private static ThreadLifetime lifetime(ThreadEntry e) {
        Thread t = e.thread();
        String state = e.endMillis() != 0 || t == null ? Thread.State.TERMINATED.name() : ThreadFacts.state(t).name();
        return new ThreadLifetime(e.id(), e.name(), e.daemon(), e.origin().label(),
                e.parentId() < 0 ? null : e.parentId(), e.parentName(),
                e.startSite() == null ? null : e.startSite().site(),
                e.startMillis() == 0 ? null : Instant.ofEpochMilli(e.startMillis()).toString(),
                e.endMillis() == 0 ? null : Instant.ofEpochMilli(e.endMillis()).toString(),
                state);
    }

    private AgentInfo agentInfo(Map<String, Long> counters) {
        List<String> samples = new ArrayList<>(health.errorSamples());
        Throwable hookError = VigilHooks.firstInternalError();
        if (hookError != null) {
            samples.add(0, "hook: " + hookError);
        }
        Map<String, Long> truncated = new LinkedHashMap<>();
        truncated.put("endedThreadsForgotten", ledger.endedForgotten());
        truncated.put("threadStartSitesTruncated", ledger.sitesTruncated());
        truncated.put("virtualThreadsNotTracked", ledger.virtualThreadsNotTracked());
        truncated.putAll(counters);
        return new AgentInfo(version, VigilHooks.internalErrors() + health.errors(), samples,
                health.instrumented(), health.selfTest(),
                VigilHooks.class.getClassLoader() == null ? "bootstrap" : String.valueOf(VigilHooks.class.getClassLoader()),
                truncated, health.classCounts(), memory == null ? null : memory.get());
    }
}
