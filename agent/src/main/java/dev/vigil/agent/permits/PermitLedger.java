package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * The permits of one semaphore: who took how many where, matched against releases. Holds no
 * reference to the semaphore (the tracker keys ledgers weakly by it).
 *
 * <p>Matching rules (see docs/dev-notes/issue-5-permits.md):
 * <ul>
 *   <li>A release gives back the releasing thread's own permits first (newest site first), then
 *       the oldest permits of any other thread: handing a permit to another thread to release is
 *       legal (Go's {@code sem <- token; go func() { defer func() { <-sem }() }()}) and never flagged.</li>
 *   <li>A release that matches nothing is credit; a later acquisition is paid from credit first.
 *       So a semaphore used as a signal ({@code new Semaphore(0)}, producer {@code release()},
 *       consumer {@code acquire()}) never shows outstanding permits.</li>
 *   <li>Over-release: a release that matches no outstanding acquisition, made by a thread that has
 *       itself acquired this semaphore, that leaves more permits available than the semaphore had
 *       when first seen ({@code limit > 0}): the limit really rose, through a thread that uses it as
 *       a limit. A producer that only releases (a semaphore used as a signal) is never flagged, nor
 *       is a thread that releases a permit another thread acquired.</li>
 * </ul>
 * Bounded: at most {@link #MAX_HOLDERS} holder entries; beyond, acquisitions are counted but not
 * attributed ({@link #unattributed}, reported as truncated).
 */
final class PermitLedger {

    static final int MAX_HOLDERS = 32;

    final String label;
    /** Permits available when the ledger was created, before the first recorded event. */
    final int limit;
    private final Holder[] holders = new Holder[MAX_HOLDERS];
    private int size;
    long acquisitions;
    long releases;
    long credit;
    long unattributed;
    long overReleases;
    String overReleaseSite;
    String overReleaseThread;
    long overReleaseThreadId;
    java.lang.ref.WeakReference<Thread> overReleaseThreadRef;
    int overReleaseAvailable;

    /** Where it was first acquired or released (null until then: a ledger made at creation). */
    volatile String firstSite;
    /** Site constant of {@code new Semaphore(n)} in application code, or null (created elsewhere). */
    volatile String createdSite;
    final long seq;

    PermitLedger(String label, int limit) {
        this(label, limit, null, 0);
    }

    PermitLedger(String label, int limit, String firstSite, long seq) {
        this.label = label;
        this.limit = limit;
        this.firstSite = firstSite;
        this.seq = seq;
    }

    /** Records an acquisition; returns the permits that could not be attributed (holder table full). */
    synchronized int acquired(Thread t, int permits, String site, long now) {
        return acquired(ThreadFacts.id(t), t, null, permits, site, now);
    }

    /** As {@link #acquired(Thread, int, String, long)}, for the thread of {@code c} ({@code t} null) or {@code t}. */
    private int acquired(long id, Thread t, PermitCache c, int permits, String site, long now) {
        acquisitions += permits;
        if (credit > 0) {
            long paid = Math.min(credit, permits);
            credit -= paid;
            permits -= (int) paid;
            if (permits == 0) {
                return 0;
            }
        }
        Holder free = null;
        for (int i = 0; i < size; i++) {
            Holder h = holders[i];
            if (h.threadId == id && h.site.equals(site)) {
                if (h.permits == 0) {
                    h.sinceMillis = now;
                }
                h.permits += permits;
                return 0;
            }
            if (free == null && h.permits == 0) {
                free = h;
            }
        }
        Holder h = c != null ? new Holder(c.threadId, c.threadName, c.thread, site, 0, now) : new Holder(t, site, now);
        h.permits = permits;
        if (size < MAX_HOLDERS) {
            holders[size++] = h;
        } else if (free != null) {
            replace(free, h);
        } else {
            unattributed += permits;
            return permits;
        }
        return 0;
    }

    private void replace(Holder old, Holder with) {
        for (int i = 0; i < size; i++) {
            if (holders[i] == old) {
                holders[i] = with;
                return;
            }
        }
    }

    // ---------------------------------------------------------------- per-thread caches (fast path)

    /** At most this many threads' caches listed per semaphore; other threads take the slow path. */
    static final int MAX_CACHES = 64;
    private final PermitCache[] caches = new PermitCache[MAX_CACHES];
    private int cacheCount;

    /** Lists {@code c} (owner thread, holding this monitor); false when the list is full. */
    boolean addCache(PermitCache c) {
        if (cacheCount == MAX_CACHES) {
            foldEnded();
            if (cacheCount == MAX_CACHES) {
                return false;
            }
        }
        caches[cacheCount++] = c;
        return true;
    }

    /** Unlists {@code c} (holding this monitor). */
    void removeCache(PermitCache c) {
        for (int i = 0; i < cacheCount; i++) {
            if (caches[i] == c) {
                caches[i] = caches[--cacheCount];
                caches[cacheCount] = null;
                return;
            }
        }
    }

    /**
     * Moves what {@code c} recorded without the monitor into this ledger (holding this monitor):
     * by the owning thread before each of its slow-path events here, or by a reader once the owner
     * has ended. Completed pairs are counted and leave the thread's entry for the site (so it
     * counts as a thread that acquired); permits still held are an acquisition made at
     * {@code heldSince}. Returns the permits that could not be attributed.
     */
    int fold(PermitCache c) {
        return fold(c, -1);
    }

    /**
     * As {@link #fold(PermitCache)}; {@code availableNow} is the semaphore's free permits now (-1
     * when not known), for the over-release check of this thread's releases that found their
     * acquisition already given back by another thread.
     */
    int fold(PermitCache c, int availableNow) {
        int held = c.held;
        long acq = c.acquired;
        long rel = c.released;
        int matchedHeld = 0;
        int replay = c.replay;
        if (c.debt > 0) {
            if (held > 0 && c.debtMark == acq) {
                matchedHeld = Math.min(c.debt, held); // another thread gave back what this one still holds
            }
            replay += c.debt - matchedHeld; // ... or this thread released it again itself, afterwards
        }
        c.debt = 0;
        c.debtMark = -1;
        c.replay = 0;
        if (acq == 0 && rel == 0 && held == 0 && replay == 0) {
            return 0;
        }
        int keep = held - matchedHeld;
        acquisitions += acq - keep;
        releases += rel;
        if (acq - held > 0 && c.heldSite != null) {
            touch(c, c.heldSite);
        }
        int unattributed = keep > 0 ? acquired(c.threadId, null, c, keep, c.heldSite, c.heldSince) : 0;
        if (replay > 0) {
            // those releases of this thread matched nothing of its own: as on the slow path (already
            // counted; the over-release check needs the semaphore's count then, not known here)
            int left = match(c.threadId, replay);
            if (left > 0 && limit > 0 && availableNow > limit && hasAcquired(c.threadId)) {
                overReleases++;
                if (overReleaseSite == null) {
                    overReleaseSite = c.releasedSite;
                    overReleaseThread = c.threadName;
                    overReleaseThreadId = c.threadId;
                    overReleaseThreadRef = c.thread;
                    overReleaseAvailable = availableNow;
                }
            } else {
                credit += left;
            }
        }
        PermitCache.ACQUIRED.setRelease(c, 0L);
        PermitCache.RELEASED.setRelease(c, 0L);
        PermitCache.HELD.setRelease(c, 0);
        return unattributed;
    }

    /** Makes sure the thread of {@code c} has an entry (maybe of 0 permits) here, room permitting. */
    private void touch(PermitCache c, String site) {
        Holder free = null;
        for (int i = 0; i < size; i++) {
            Holder h = holders[i];
            if (h.threadId == c.threadId && h.site.equals(site)) {
                return;
            }
            if (free == null && h.permits == 0) {
                free = h;
            }
        }
        Holder h = new Holder(c.threadId, c.threadName, c.thread, site, 0, 0);
        if (size < MAX_HOLDERS) {
            holders[size++] = h;
        } else if (free != null) {
            replace(free, h);
        }
    }

    /** Folds and unlists the caches of threads that have ended (holding this monitor). */
    private void foldEnded() {
        for (int i = cacheCount - 1; i >= 0; i--) {
            PermitCache c = caches[i];
            if (c.ended()) {
                fold(c);
                caches[i] = caches[--cacheCount];
                caches[cacheCount] = null;
                if (c.ledger == this) {
                    c.ledger = null;
                }
            }
        }
    }

    /** {acquisitions, releases}, the listed threads' unfolded pairs included. */
    synchronized long[] counts() {
        long acq = acquisitions;
        long rel = releases;
        for (int i = 0; i < cacheCount; i++) {
            PermitCache c = caches[i];
            acq += c.acquiredNow();
            rel += c.releasedNow();
        }
        return new long[] {acq, rel};
    }

    /** Returns true when this release raised the semaphore above its limit (first time: recorded). */
    synchronized boolean released(Thread t, int permits, String site, int availableAfter) {
        releases += permits;
        long id = ThreadFacts.id(t);
        int left = match(id, permits);
        if (left > 0 && limit > 0 && availableAfter > limit && hasAcquired(id)) {
            // Not credit: the extra permit would pay for the next acquisition, whose own release
            // would then look unmatched.
            overReleases++;
            if (overReleaseSite == null) {
                overReleaseSite = site;
                overReleaseThread = ThreadFacts.name(t);
                overReleaseThreadId = id;
                overReleaseThreadRef = new java.lang.ref.WeakReference<>(t);
                overReleaseAvailable = availableAfter;
                return true;
            }
            return false;
        }
        credit += left;
        return false;
    }

    /**
     * Gives back {@code permits} released by thread {@code id}: its own first (newest entry first),
     * then the oldest of any thread, the permits other listed threads hold on the fast path
     * included (recorded as their cache's debt, settled when the cache is folded), then
     * unattributed ones. Returns what matched nothing. Holding this monitor.
     */
    private int match(long id, int permits) {
        int left = permits;
        for (int i = size - 1; i >= 0 && left > 0; i--) {
            Holder h = holders[i];
            if (h.threadId == id && h.permits > 0) {
                int n = Math.min(left, h.permits);
                h.permits -= n;
                left -= n;
            }
        }
        while (left > 0) {
            Holder oldest = null;
            for (int i = 0; i < size; i++) {
                Holder h = holders[i];
                if (h.permits > 0 && (oldest == null || h.sinceMillis < oldest.sinceMillis)) {
                    oldest = h;
                }
            }
            PermitCache older = null;
            long olderMark = 0;
            int olderHeld = 0;
            for (int i = 0; i < cacheCount; i++) {
                PermitCache c = caches[i];
                if (c.threadId == id) {
                    continue; // its own cache was folded before this release
                }
                long mark = c.acquiredNow();
                int held = c.heldNow();
                if (held <= 0 || c.acquiredNow() != mark) {
                    continue; // nothing held, or its owner is moving on: not matched
                }
                int free = held - (c.debtMark == mark ? c.debt : 0);
                long since = c.heldSince;
                if (free > 0 && since < (older != null ? older.heldSince : oldest != null ? oldest.sinceMillis
                        : Long.MAX_VALUE)) {
                    older = c;
                    olderMark = mark;
                    olderHeld = free;
                }
            }
            if (older != null) {
                int n = Math.min(left, olderHeld);
                if (older.debtMark != olderMark) {
                    // the owner has acquired again since: it released the permits matched before itself
                    older.replay += older.debt;
                    older.debt = 0;
                    older.debtMark = olderMark;
                }
                older.debt += n;
                left -= n;
                continue;
            }
            if (oldest == null) {
                break;
            }
            int n = Math.min(left, oldest.permits);
            oldest.permits -= n;
            left -= n;
        }
        if (left > 0 && unattributed > 0) {
            long n = Math.min(left, unattributed);
            unattributed -= n;
            left -= (int) n;
        }
        return left;
    }

    /** True when thread {@code id} has an entry: it acquired this semaphore (a user of the limit, not a producer). */
    private boolean hasAcquired(long id) {
        for (int i = 0; i < size; i++) {
            if (holders[i].threadId == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * Copies of the entries that hold permits now, with the permits that listed threads hold on
     * the fast path (paid from credit first, as folding them would); caches of ended threads are
     * folded first.
     */
    synchronized List<Holder> outstanding() {
        foldEnded();
        List<Holder> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (holders[i].permits > 0) {
                out.add(holders[i].copy());
            }
        }
        long left = credit;
        for (int i = 0; i < cacheCount; i++) {
            PermitCache c = caches[i];
            long mark = c.acquiredNow();
            int held = c.heldNow();
            if (held > 0 && c.debtMark == mark) {
                held -= c.debt;
            }
            if (held <= 0) {
                continue;
            }
            long paid = Math.min(left, held);
            left -= paid;
            held -= (int) paid;
            if (held > 0) {
                out.add(new Holder(c.threadId, c.threadName, c.thread, c.heldSite, held, c.heldSince));
            }
        }
        return out;
    }

    /** Permits outstanding whose acquiring thread has ended. */
    int heldByEnded() {
        int n = 0;
        for (Holder h : outstanding()) {
            if (h.ended()) {
                n += h.permits;
            }
        }
        return n;
    }

    /**
     * Nothing held, no release waiting to pay an acquisition, no thread's cache listed, no
     * over-release to report: forgetting it loses no finding.
     */
    synchronized boolean idle() {
        return cacheCount == 0 && credit == 0 && overReleaseSite == null && held() == 0;
    }

    int held() {
        int n = 0;
        for (Holder h : outstanding()) {
            n += h.permits;
        }
        return n;
    }
}
