package dev.vigil.agent.locks;

import java.lang.ref.WeakReference;
import java.util.Arrays;

/**
 * The locks one thread holds, innermost last, with the site each was taken at; plus a small cache
 * of the lock-order edges this thread has already reported to the {@link LockOrderGraph}, so that
 * taking a known pair again costs a few comparisons and allocates nothing.
 *
 * <p>Only its own thread writes it. Lock objects are held strongly only while the thread holds the
 * lock itself; the cache refers to them weakly.
 */
public final class HeldLocks {

    private static final int CACHE_SIZE = 64;

    final Thread thread;

    Object[] locks = new Object[8];
    String[] sites = new String[8];
    int[] counts = new int[8];
    byte[] modes = new byte[8];
    /** Hash of each entry's site, and the held-set signature before the entry was pushed. */
    int[] siteHashes = new int[8];
    int[] signatures = new int[8];
    int size;
    /** Cheap signature of the held set (sites and depth): part of every cache key, for the gate rule. */
    int signature;

    /**
     * The lock node this thread is blocked on (contended {@code lock()} only), and where; read by
     * other threads looking for a deadlock, so volatile.
     */
    volatile Object wanted;
    volatile String wantedSite;

    // Direct-mapped cache of known edges: (held lock, taken lock, held-set signature).
    @SuppressWarnings("unchecked")
    private final WeakReference<Object>[] cacheHeld = (WeakReference<Object>[]) new WeakReference<?>[CACHE_SIZE];
    @SuppressWarnings("unchecked")
    private final WeakReference<Object>[] cacheTaken = (WeakReference<Object>[]) new WeakReference<?>[CACHE_SIZE];
    private final int[] cacheSignature = new int[CACHE_SIZE];

    // Locks released by a wait in progress, with their hold counts (a thread can nest waits only
    // through different monitors, so this stays tiny).
    private Object[] waiting = new Object[2];
    private int[] waitingCounts = new int[2];
    private int waitingSize;

    HeldLocks(Thread thread) {
        this.thread = thread;
    }

    int indexOf(Object lock) {
        for (int i = size - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    void push(Object lock, String site, int mode, int count) {
        if (size == locks.length) {
            int n = size * 2;
            locks = Arrays.copyOf(locks, n);
            sites = Arrays.copyOf(sites, n);
            counts = Arrays.copyOf(counts, n);
            modes = Arrays.copyOf(modes, n);
            siteHashes = Arrays.copyOf(siteHashes, n);
            signatures = Arrays.copyOf(signatures, n);
        }
        int hash = site == null ? 0 : site.hashCode();
        locks[size] = lock;
        sites[size] = site;
        counts[size] = count;
        modes[size] = (byte) mode;
        siteHashes[size] = hash;
        signatures[size] = signature;
        size++;
        signature = signature * 31 + hash + 1;
    }

    /** Drops entry {@code i} (locks need not be released in the order they were taken). */
    void remove(int i) {
        int last = size - 1;
        if (i == last) {
            // The usual case, last taken first released: the signature is the one saved at push.
            locks[last] = null;
            sites[last] = null;
            size = last;
            signature = signatures[last];
            return;
        }
        System.arraycopy(locks, i + 1, locks, i, last - i);
        System.arraycopy(sites, i + 1, sites, i, last - i);
        System.arraycopy(counts, i + 1, counts, i, last - i);
        System.arraycopy(modes, i + 1, modes, i, last - i);
        System.arraycopy(siteHashes, i + 1, siteHashes, i, last - i);
        locks[last] = null;
        sites[last] = null;
        size = last;
        int sig = 0;
        for (int k = 0; k < size; k++) {
            signatures[k] = sig;
            sig = sig * 31 + siteHashes[k] + 1;
        }
        signature = sig;
    }

    private static int slot(int heldSiteHash, int takenSiteHash, int signature) {
        int h = heldSiteHash * 31 + takenSiteHash;
        h ^= signature * 0x9E3779B9;
        return (h ^ (h >>> 16)) & (CACHE_SIZE - 1);
    }

    /** True when this thread already reported the edge from entry {@code heldIndex} to {@code taken} under this held set. */
    boolean known(int heldIndex, Object taken, int takenSiteHash) {
        int s = slot(siteHashes[heldIndex], takenSiteHash, signature);
        WeakReference<Object> h = cacheHeld[s];
        // refersTo, not get(): no keep-alive barrier for the collector on the hot path.
        return h != null && cacheSignature[s] == signature && h.refersTo(locks[heldIndex])
                && cacheTaken[s].refersTo(taken);
    }

    void remember(int heldIndex, Object taken, int takenSiteHash) {
        int s = slot(siteHashes[heldIndex], takenSiteHash, signature);
        cacheHeld[s] = new WeakReference<>(locks[heldIndex]);
        cacheTaken[s] = new WeakReference<>(taken);
        cacheSignature[s] = signature;
    }

    /**
     * Forgets the known edges (scope reset). Called from another thread: a slot written by this
     * thread at the same moment may survive, which only hides that one edge until its locks go.
     */
    void forgetEdges() {
        Arrays.fill(cacheHeld, null);
        Arrays.fill(cacheTaken, null);
    }

    /** A wait releases {@code lock} entirely; remembered so that the wait's end takes it back. */
    boolean releaseForWait(Object lock) {
        int i = indexOf(lock);
        if (i < 0) {
            return false;
        }
        if (waitingSize == waiting.length) {
            int n = waitingSize * 2;
            waiting = Arrays.copyOf(waiting, n);
            waitingCounts = Arrays.copyOf(waitingCounts, n);
        }
        waiting[waitingSize] = lock;
        waitingCounts[waitingSize] = counts[i];
        waitingSize++;
        remove(i);
        return true;
    }

    /** The hold count released by the wait on {@code lock}, or 0 when none is pending. */
    int endWait(Object lock) {
        for (int i = waitingSize - 1; i >= 0; i--) {
            if (waiting[i] == lock) {
                int count = waitingCounts[i];
                int last = waitingSize - 1;
                if (i < last) {
                    System.arraycopy(waiting, i + 1, waiting, i, last - i);
                    System.arraycopy(waitingCounts, i + 1, waitingCounts, i, last - i);
                }
                waiting[last] = null;
                waitingSize = last;
                return count;
            }
        }
        return 0;
    }

    public int depth() {
        return size;
    }
}
