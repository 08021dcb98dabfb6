package dev.vigil.agent.executors;

import dev.vigil.report.model.Site;

/** A task submitted to an application executor and not yet finished. */
final class TaskRecord {

    final ExecutorRecord executor;
    final Site submitSite;
    final long submittedMillis;
    volatile long startedMillis;
    volatile String threadName;

    TaskRecord(ExecutorRecord executor, Site submitSite, long submittedMillis) {
        this.executor = executor;
        this.submitSite = submitSite;
        this.submittedMillis = submittedMillis;
    }
}
