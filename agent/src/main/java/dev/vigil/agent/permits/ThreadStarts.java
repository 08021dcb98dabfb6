package dev.vigil.agent.permits;

import java.util.List;

/**
 * The application threads one thread started after an event (from the thread ledger): a latch's
 * likely workers. Events and starts are ordered by {@code dev.vigil.agent.threads.StartOrder}.
 */
@FunctionalInterface
public interface ThreadStarts {

    /** At most {@code max} threads started by thread {@code parentId} after position {@code since}, oldest first. */
    List<Started> startedBy(long parentId, long since, int max);

    /** One such thread; {@code thread} is null once it is gone. */
    record Started(long threadId, String name, boolean alive, Thread thread) {
    }

    ThreadStarts NONE = (parentId, since, max) -> List.of();
}
