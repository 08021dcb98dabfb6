package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The lifetime of one task submitted to an application executor, for the timeline.
 *
 * @param executorId  the {@link ExecutorSummary#id()} of its executor
 * @param submittedAt {@code File.java:N} of the submitting application line
 * @param submitted   ISO-8601 instant
 * @param started     ISO-8601 instant, null while queued
 * @param ended       ISO-8601 instant, null while queued or running
 * @param thread      name of the worker that ran it, null while queued
 * @param threadId    id of that worker, null while queued
 * @param state       {@code queued}, {@code running}, {@code completed}, {@code failed} or {@code cancelled}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskLifetime(
        long id,
        long executorId,
        String submittedAt,
        String submitted,
        String started,
        String ended,
        String thread,
        Long threadId,
        String state) {
}
