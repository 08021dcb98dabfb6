package dev.vigil.agent.executors;

import dev.vigil.report.model.Site;

/**
 * A task submitted to an application executor: open until it finishes, then kept only in the
 * ledger's short history of recent tasks (for the report's timeline).
 */
final class TaskRecord {

    final long id;
    final ExecutorRecord executor;
    final Site submitSite;
    final long submittedMillis;
    volatile long startedMillis;
    volatile String threadName;
    /** The worker running it; null while queued and once finished. */
    volatile Thread runner;
    volatile long runnerId = -1;
    volatile long endedMillis;
    /** {@code completed}, {@code failed} or {@code cancelled} once ended. */
    volatile String outcome;
    /** Reported as running longer than {@code longTask}: counted once. */
    volatile boolean longReported;
    /** Its future failed ({@code setException}, {@code completeExceptionally}). */
    volatile boolean failed;
    /** Submitted to a ForkJoinPool (its start and end come from ForkJoinTask.doExec). */
    volatile boolean forkJoin;

    TaskRecord(long id, ExecutorRecord executor, Site submitSite, long submittedMillis) {
        this.id = id;
        this.executor = executor;
        this.submitSite = submitSite;
        this.submittedMillis = submittedMillis;
    }
}
