package dev.vigil.agent.executors;

import dev.vigil.report.model.Site;

/**
 * A failed future nobody has read yet. Holds no reference to the future or the exception: the
 * failure is kept as text and frames.
 */
record FailureRecord(String futureType, String exceptionClass, String exceptionMessage, Site failureSite,
                     Site submitSite, String threadName, long threadId, long failedMillis) {
}
