package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The lifetime of one thread, for the timeline.
 *
 * @param origin {@code application}, {@code jdk} (started by JDK code or a JDK-owned pool),
 *               {@code vigil} (the agent's own) or {@code pre-existing} (alive before Vigil started)
 * @param start  ISO-8601 instant, null for pre-existing threads
 * @param end    ISO-8601 instant, null while alive
 * @param state  {@link Thread.State} name at report time, {@code TERMINATED} once ended
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThreadLifetime(
        long id,
        String name,
        boolean daemon,
        String origin,
        Long parentId,
        String parentName,
        Site startSite,
        String start,
        String end,
        String state) {
}
