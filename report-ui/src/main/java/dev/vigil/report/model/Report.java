package dev.vigil.report.model;

import java.util.Comparator;
import java.util.List;

/**
 * A whole Vigil report: what every sink (JSON, HTML, console, JFR) renders.
 * The JSON form is documented in {@code docs/report-schema.md}.
 */
public record Report(int schemaVersion, RunInfo run, List<Finding> findings, List<ThreadLifetime> threads, AgentInfo agent,
                     List<SuppressedFinding> suppressed, List<ExecutorSummary> executors, List<TaskLifetime> tasks,
                     List<QueueSummary> queues, List<SemaphoreSummary> semaphores) {

    /** Bumped on any incompatible change of the JSON form. Readers reject versions they do not know. */
    public static final int SCHEMA_VERSION = 1;

    public Report {
        findings = findings == null ? List.of() : List.copyOf(findings);
        threads = threads == null ? List.of() : List.copyOf(threads);
        suppressed = suppressed == null ? List.of() : List.copyOf(suppressed);
        executors = executors == null ? List.of() : List.copyOf(executors);
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
        queues = queues == null ? List.of() : List.copyOf(queues);
        semaphores = semaphores == null ? List.of() : List.copyOf(semaphores);
    }

    /** A report with no task timeline, no queue table and no semaphore table. */
    public Report(int schemaVersion, RunInfo run, List<Finding> findings, List<ThreadLifetime> threads, AgentInfo agent,
                  List<SuppressedFinding> suppressed, List<ExecutorSummary> executors) {
        this(schemaVersion, run, findings, threads, agent, suppressed, executors, List.of(), List.of(), List.of());
    }

    /** A report with no executor table. */
    public Report(int schemaVersion, RunInfo run, List<Finding> findings, List<ThreadLifetime> threads, AgentInfo agent,
                  List<SuppressedFinding> suppressed) {
        this(schemaVersion, run, findings, threads, agent, suppressed, List.of(), List.of(), List.of(), List.of());
    }

    /** A report with nothing suppressed. */
    public Report(int schemaVersion, RunInfo run, List<Finding> findings, List<ThreadLifetime> threads, AgentInfo agent) {
        this(schemaVersion, run, findings, threads, agent, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    /** The same report with other findings (e.g. sorted). */
    public Report withFindings(List<Finding> other) {
        return new Report(schemaVersion, run, other, threads, agent, suppressed, executors, tasks, queues, semaphores);
    }

    /** Findings most severe first, then by kind and title: the order every sink shows. */
    public static final Comparator<Finding> SEVERITY_ORDER = Comparator
            .comparing(Finding::severity)
            .thenComparing(Finding::kind)
            .thenComparing(Finding::title);

    public long count(Severity severity) {
        return findings.stream().filter(f -> f.severity() == severity).count();
    }
}
