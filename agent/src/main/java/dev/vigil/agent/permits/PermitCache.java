package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;

/**
 * One thread's cache of the last semaphore it used (kept in its hook slot,
 * {@code ThreadSlot.permits}): the semaphore (weakly), its ledger, and the permits this thread
 * acquired and released on it since the last fold, recorded here without the ledger's monitor.
 *
 * <p>The fast path (see {@link SyncTracker}) handles one pattern only: an acquisition while this
 * thread holds no fast-recorded permits ({@link #held} becomes {@code n}), and the release of
 * exactly those {@code n} by this thread ({@link #held} back to 0, the pair counted in
 * {@link #acquired}/{@link #released}). Anything else takes the slow path, which first folds this
 * cache into the ledger. Only the owning thread writes these fields while it is alive (a fold by
 * the owner happens under the ledger's monitor); the ledger's readers look at them under that
 * monitor: {@link #held} is written with release semantics after {@link #heldSite} and
 * {@link #heldSince} and read with acquire semantics, the counters are written and read the same
 * way (eventually visible, never torn). A reader folds a cache itself only once its thread has
 * ended ({@code isAlive() == false} orders the thread's last writes before the read).
 *
 * <p>Registered in at most one ledger at a time ({@link #ledger}), which lists it.
 */
final class PermitCache {

    static final WeakReference<Object> NONE = new WeakReference<>(null);

    final long threadId;
    final String threadName;
    final WeakReference<Thread> thread;

    /** The cached semaphore (weakly: a thread never keeps a semaphore alive), or {@link #NONE}. Owner only. */
    WeakReference<Object> semaphore = NONE;
    /** The semaphore's ledger, which lists this cache; null when none. Owner only (under its monitor). */
    PermitLedger ledger;

    /** Permits acquired on the fast path and not yet released nor folded (0 or the one acquisition's count). */
    int held;
    String heldSite;
    long heldSince;
    /** Permits acquired on the fast path since the last fold, {@link #held} included. */
    long acquired;
    /** Permits released on the fast path since the last fold. */
    long released;
    /** Site of the last fast-path release. Owner only (read by a fold). */
    String releasedSite;

    // Owned by the ledger that lists this cache (read and written under its monitor only): permits
    // of this thread's fast-path acquisition (the one whose acquired count was debtMark) that other
    // threads' releases were matched against, and such permits this thread then released again.
    int debt;
    long debtMark = -1;
    int replay;

    static final VarHandle HELD;
    static final VarHandle ACQUIRED;
    static final VarHandle RELEASED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HELD = lookup.findVarHandle(PermitCache.class, "held", int.class);
            ACQUIRED = lookup.findVarHandle(PermitCache.class, "acquired", long.class);
            RELEASED = lookup.findVarHandle(PermitCache.class, "released", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    PermitCache(Thread t) {
        this.threadId = ThreadFacts.id(t);
        this.threadName = ThreadFacts.name(t);
        this.thread = new WeakReference<>(t);
    }

    /** True once the owning thread has ended (or been collected). */
    boolean ended() {
        Thread t = thread.get();
        return t == null || !t.isAlive();
    }

    /** The fast acquisition: owner only, when {@code held == 0}. */
    void fastAcquired(int permits, String site, long now) {
        heldSite = site;
        heldSince = now;
        ACQUIRED.setRelease(this, acquired + permits);
        HELD.setRelease(this, permits);
    }

    /** The fast release of the permits {@link #held}: owner only. */
    void fastReleased(int permits, String site) {
        releasedSite = site;
        RELEASED.setRelease(this, released + permits);
        HELD.setRelease(this, 0);
    }

    int heldNow() {
        return (int) HELD.getAcquire(this);
    }

    long acquiredNow() {
        return (long) ACQUIRED.getAcquire(this);
    }

    long releasedNow() {
        return (long) RELEASED.getAcquire(this);
    }
}
