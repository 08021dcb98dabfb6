package dev.vigil.report.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One semaphore the application used (at an instrumented call site) that was still reachable when
 * the report was written: its limit, what is free and held now, and its permit ledger's totals.
 *
 * @param semaphore      {@code Semaphore@hex}: its class and identity hash
 * @param firstUsedAt    {@code File.java:N} of the first acquire or release Vigil saw
 * @param limit          permits it had when first seen (before that first event)
 * @param available      permits free when the report was written
 * @param held           permits acquired and not yet released, attributed to a thread and site
 * @param heldByEnded    of those, permits whose acquiring thread has ended (leaked)
 * @param waiting        threads queued for a permit
 * @param overReleases   releases that raised it above its limit
 * @param createdAt      {@code File.java:N} of {@code new Semaphore(n)} when that was in application code, else null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SemaphoreSummary(
        String semaphore,
        String firstUsedAt,
        int limit,
        int available,
        int held,
        int heldByEnded,
        int waiting,
        long acquisitions,
        long releases,
        long overReleases,
        String createdAt) {

    /** Without the creation site (a semaphore created outside application code). */
    public SemaphoreSummary(String semaphore, String firstUsedAt, int limit, int available, int held, int heldByEnded,
                            int waiting, long acquisitions, long releases, long overReleases) {
        this(semaphore, firstUsedAt, limit, available, held, heldByEnded, waiting, acquisitions, releases,
                overReleases, null);
    }
}
