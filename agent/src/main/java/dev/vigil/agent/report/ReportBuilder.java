package dev.vigil.agent.report;

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
        List<Finding> findings = new ArrayList<>();
        for (Detector d : detectors) {
            try {
                findings.addAll(d.findings(phase));
            } catch (RuntimeException | LinkageError e) {
                health.error("detector " + d.getClass().getSimpleName(), e);
            }
        }
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
        List<ExecutorSummary> executors;
        try {
            executors = executorSummaries.get();
        } catch (RuntimeException e) {
            health.error("executor table", e);
            executors = List.of();
        }
        List<dev.vigil.report.model.TaskLifetime> tasks;
        try {
            tasks = taskLifetimes.get();
        } catch (RuntimeException e) {
            health.error("task timeline", e);
            tasks = List.of();
        }
        List<QueueSummary> queues;
        try {
            queues = queueSummaries.get();
        } catch (RuntimeException e) {
            health.error("queue table", e);
            queues = List.of();
        }
        List<SemaphoreSummary> semaphores;
        try {
            semaphores = semaphoreSummaries.get();
        } catch (RuntimeException e) {
            health.error("semaphore table", e);
            semaphores = List.of();
        }
        return new Report(Report.SCHEMA_VERSION, run, split.kept(), lifetimes(), agentInfo(), split.suppressed(),
                executors, tasks, queues, semaphores);
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
        String state = e.endMillis() != 0 || t == null ? Thread.State.TERMINATED.name() : t.getState().name();
        return new ThreadLifetime(e.id(), e.name(), e.daemon(), e.origin().label(),
                e.parentId() < 0 ? null : e.parentId(), e.parentName(),
                e.startSite() == null ? null : e.startSite().site(),
                e.startMillis() == 0 ? null : Instant.ofEpochMilli(e.startMillis()).toString(),
                e.endMillis() == 0 ? null : Instant.ofEpochMilli(e.endMillis()).toString(),
                state);
    }

    private AgentInfo agentInfo() {
        List<String> samples = new ArrayList<>(health.errorSamples());
        Throwable hookError = VigilHooks.firstInternalError();
        if (hookError != null) {
            samples.add(0, "hook: " + hookError);
        }
        Map<String, Long> truncated = new LinkedHashMap<>();
        truncated.put("endedThreadsForgotten", ledger.endedForgotten());
        truncated.put("threadStartSitesTruncated", ledger.sitesTruncated());
        for (Supplier<Map<String, Long>> c : truncationCounters) {
            truncated.putAll(c.get());
        }
        return new AgentInfo(version, VigilHooks.internalErrors() + health.errors(), samples,
                health.instrumented(), health.selfTest(),
                VigilHooks.class.getClassLoader() == null ? "bootstrap" : String.valueOf(VigilHooks.class.getClassLoader()),
                truncated, health.classCounts());
    }
}
