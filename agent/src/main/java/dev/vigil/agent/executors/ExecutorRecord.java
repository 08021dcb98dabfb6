package dev.vigil.agent.executors;

import dev.vigil.agent.threads.StartSite;

/** One executor created by the application: where, when, and whether it was shut down. */
final class ExecutorRecord {

    final long id;
    final String type;
    final StartSite site;
    final long createdMillis;
    volatile long shutdownMillis;
    /** False once a scope reset happened after its creation: it can no longer be a finding. */
    volatile boolean inScope = true;

    ExecutorRecord(long id, String type, StartSite site, long createdMillis) {
        this.id = id;
        this.type = type;
        this.site = site;
        this.createdMillis = createdMillis;
    }
}
