package dev.vigil.agent.permits;

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

    /** Site constant of the first event seen; the ledger's creation order. */
    final String firstSite;
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
        acquisitions += permits;
        if (credit > 0) {
            long paid = Math.min(credit, permits);
            credit -= paid;
            permits -= (int) paid;
            if (permits == 0) {
                return 0;
            }
        }
        long id = t.getId();
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
        Holder h = new Holder(t, site, now);
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

    /** Returns true when this release raised the semaphore above its limit (first time: recorded). */
    synchronized boolean released(Thread t, int permits, String site, int availableAfter) {
        releases += permits;
        int left = permits;
        long id = t.getId();
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
        if (left > 0 && limit > 0 && availableAfter > limit && hasAcquired(id)) {
            // Not credit: the extra permit would pay for the next acquisition, whose own release
            // would then look unmatched.
            overReleases++;
            if (overReleaseSite == null) {
                overReleaseSite = site;
                overReleaseThread = t.getName();
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

    /** True when thread {@code id} has an entry: it acquired this semaphore (a user of the limit, not a producer). */
    private boolean hasAcquired(long id) {
        for (int i = 0; i < size; i++) {
            if (holders[i].threadId == id) {
                return true;
            }
        }
        return false;
    }

    /** Copies of the entries that hold permits now. */
    synchronized List<Holder> outstanding() {
        List<Holder> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (holders[i].permits > 0) {
                out.add(holders[i].copy());
            }
        }
        return out;
    }

    /** Permits outstanding whose acquiring thread has ended. */
    synchronized int heldByEnded() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (holders[i].permits > 0 && holders[i].ended()) {
                n += holders[i].permits;
            }
        }
        return n;
    }

    synchronized int held() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += holders[i].permits;
        }
        return n;
    }
}
