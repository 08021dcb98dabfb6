package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The last few threads that counted one latch down (a latch's releasers), held weakly, and, when
 * the latch was created in application code, the thread that created it, when and where (the
 * threads it started after that are the latch's likely workers).
 */
final class LatchRecord {

    static final int MAX_COUNTERS = 16;

    record Counter(long threadId, String threadName, WeakReference<Thread> thread, String site) {
        boolean ended() {
            Thread t = thread.get();
            return t == null || !t.isAlive();
        }
    }

    private final List<Counter> counters = new ArrayList<>();
    long countDowns;
    /** The creating thread's id ({@code -1}: creation not seen), its name and the creation site. */
    final long creatorId;
    final String creatorName;
    /** Where the creation falls in {@code StartOrder}: threads started after it are likely workers. */
    final long createdOrder = dev.vigil.agent.threads.StartOrder.next();
    final String createdSite;

    LatchRecord() {
        this(-1, null, null);
    }

    LatchRecord(long creatorId, String creatorName, String createdSite) {
        this.creatorId = creatorId;
        this.creatorName = creatorName;
        this.createdSite = createdSite;
    }

    synchronized void countedDown(Thread t, String site) {
        countDowns++;
        long id = ThreadFacts.id(t);
        for (Counter c : counters) {
            if (c.threadId() == id) {
                return;
            }
        }
        if (counters.size() == MAX_COUNTERS) {
            counters.remove(0);
        }
        counters.add(new Counter(id, ThreadFacts.name(t), new WeakReference<>(t), site));
    }

    synchronized List<Counter> counters() {
        return new ArrayList<>(counters);
    }
}
