package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One blocking queue the application created or used at its own call sites, still reachable when
 * the report was written: where it was created, how full it is and was, and who puts and takes.
 *
 * @param createdAt    {@code File.java:N} of the {@code new} in application code; null when the
 *                     queue was created elsewhere (then {@code firstUsedAt} says where it was first seen)
 * @param capacity     null for an unbounded queue
 * @param highWaterMark the largest size Vigil sampled
 * @param producers    threads that put at application call sites (capped, see {@code agent.truncated})
 * @param consumers    threads that took
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueueSummary(
        long id,
        String type,
        String createdAt,
        String firstUsedAt,
        Integer capacity,
        int size,
        int highWaterMark,
        long puts,
        long takes,
        List<Party> producers,
        List<Party> consumers) {

    public QueueSummary {
        producers = producers == null ? List.of() : List.copyOf(producers);
        consumers = consumers == null ? List.of() : List.copyOf(consumers);
    }

    /** A producer or consumer thread of a queue, and where it first used the queue. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Party(long threadId, String thread, boolean alive, String site) {
    }
}
