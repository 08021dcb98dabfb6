package dev.vigil.agent.permits;

import java.util.List;

/** The application threads one thread started at or after a time (from the thread ledger): a latch's likely workers. */
@FunctionalInterface
public interface ThreadStarts {

    /** At most {@code max} threads started by thread {@code parentId} at or after {@code sinceMillis}, oldest first. */
    List<Started> startedBy(long parentId, long sinceMillis, int max);

    /** One such thread; {@code thread} is null once it is gone. */
    record Started(long threadId, String name, boolean alive, Thread thread) {
    }

    ThreadStarts NONE = (parentId, sinceMillis, max) -> List.of();
}
