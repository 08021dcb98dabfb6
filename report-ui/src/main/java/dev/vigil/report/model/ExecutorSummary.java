package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One executor the application created and that was still reachable when the report was written:
 * where it was created, whether it was shut down, and what it held.
 *
 * @param createdAt  {@code File.java:N} of the first application frame of the creation site (the
 *                   whole stack is in the executor-leak finding, when there is one)
 * @param shutdown   ISO-8601 instant of {@code shutdown()}/{@code shutdownNow()}, null if never
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecutorSummary(
        long id,
        String type,
        String createdAt,
        String created,
        String shutdown,
        int workerThreads,
        int activeTasks,
        long queuedTasks) {
}
