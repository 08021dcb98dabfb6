package dev.vigil.agent.executors;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One thread's waits on futures, reused for every wait: the hot path of {@code get()}/{@code join()}
 * on a future not yet done writes two fields of a record the thread already owns (no allocation, no
 * clock read, no shared set). Vigil's watch thread reads the records on its own schedule: it stamps
 * the time it first sees a wait, and only a wait still there {@code stuckWait} later costs anything
 * (a {@link FutureWait} snapshot, the thread's stack).
 *
 * <p>Waits nest on one thread: a {@code ForkJoinPool} worker blocked in {@code join()} helps by
 * running other tasks, which may join in turn. Each nesting depth has its own {@link Level}; waits
 * deeper than {@link #LEVELS} are counted, not followed (the outer ones are).
 *
 * <p>Concurrency: a level's fields are written only by its thread ({@code future}, {@code waitId},
 * {@code progress}) or only by the watch ({@code seen*}, {@code snapshot}). The thread publishes a
 * wait with release stores (future, then its id) and ends it by clearing the id first; the watch
 * reads id, future, id again with acquire loads and keeps what it read only if the id did not
 * change: a seqlock with one writer. On x86 these are plain moves.
 */
final class ThreadWaits {

    /** Nesting depths followed per thread. */
    static final int LEVELS = 4;

    final Thread thread;
    final long threadId;
    /** Current nesting depth; written and read by the owning thread only. */
    int depth;
    final Level[] levels = new Level[LEVELS];

    ThreadWaits(Thread thread) {
        this.thread = thread;
        this.threadId = ThreadFacts.id(thread);
        for (int i = 0; i < LEVELS; i++) {
            levels[i] = new Level(this, i);
        }
    }

    /** The owning thread starts a wait on {@code future}: returns the token its end passes back. */
    Object start(Object future) {
        int d = depth++;
        if (d >= LEVELS) {
            return this;
        }
        Level lv = levels[d];
        FUTURE.setRelease(lv, future);
        WAIT_ID.setRelease(lv, ++lv.counter);
        return lv;
    }

    /**
     * The owning thread's wait of {@code token} ended. Returns the snapshot the watch made of it
     * (the caller fills in its end), or null when the watch never looked at it.
     */
    static FutureWait end(Object token) {
        if (token instanceof Level lv) {
            ThreadWaits tw = lv.owner;
            tw.depth = lv.index; // also mends the depth if an exit was ever skipped
            long id = lv.counter;
            WAIT_ID.setRelease(lv, 0L);
            if (lv.index > 0) {
                tw.levels[lv.index - 1].progress++; // the outer wait ran a task that waited and finished
            }
            FutureWait w = (FutureWait) SNAPSHOT.getAcquire(lv);
            FutureWait mine = w != null && w.waitId == id ? w : null;
            FUTURE.setRelease(lv, null);
            return mine;
        }
        if (token instanceof ThreadWaits tw && tw.depth > 0) {
            tw.depth--;
            tw.levels[LEVELS - 1].progress++; // a wait too deep to follow ended inside the deepest followed one
        }
        return null;
    }

    /** One nesting depth of a thread's waits. */
    static final class Level {
        final ThreadWaits owner;
        final int index;
        /** Owner-only: the id of the last wait started here. */
        long counter;
        /** Owner writes (release); the future waited on now, or null. */
        Object future;
        /** Owner writes (release); the current wait's id, 0 when none. */
        long waitId;
        /**
         * Owner writes (plain: the watch may see it a pass late); how many nested waits ended inside
         * the current one, i.e. whether the waiting thread makes progress.
         */
        int progress;
        /** Watch writes (release), owner reads (acquire): the snapshot of the wait the watch follows. */
        FutureWait snapshot;

        Level(ThreadWaits owner, int index) {
            this.owner = owner;
            this.index = index;
        }

        /** The future of the wait going on now with id {@code id}, read consistently; null when it changed. */
        Object futureIf(long id) {
            Object f = FUTURE.getAcquire(this);
            return (long) WAIT_ID.getAcquire(this) == id ? f : null;
        }

        long waitId() {
            return (long) WAIT_ID.getAcquire(this);
        }

        void snapshot(FutureWait w) {
            SNAPSHOT.setRelease(this, w);
        }

        FutureWait snapshot() {
            return (FutureWait) SNAPSHOT.getAcquire(this);
        }
    }

    private static final VarHandle FUTURE;
    private static final VarHandle WAIT_ID;
    private static final VarHandle SNAPSHOT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            FUTURE = l.findVarHandle(Level.class, "future", Object.class);
            WAIT_ID = l.findVarHandle(Level.class, "waitId", long.class);
            SNAPSHOT = l.findVarHandle(Level.class, "snapshot", FutureWait.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
