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

    private static final int CACHE_SIZE = 128;
    /**
     * Slots allocated at a thread's first edge; the cache grows to {@link #CACHE_SIZE} on its first
     * collisions. Most threads (virtual ones above all) know a few edges: 100,000 short virtual
     * threads each allocated 3 KB of cache for one edge.
     */
    private static final int FIRST_CACHE_SIZE = 8;

    /** {@link #holds}: bit 0 the mode ({@link LockOrderGraph#READ}), bit 1 {@link #EARLY}, the count above. */
    private static final int MODE_BIT = 1;
    /** The entry was pushed just before MONITORENTER: held, or about to be (the thread may block on it). */
    static final int EARLY = dev.vigil.bootstrap.LockListener.EARLY;
    private static final int ONE = 4;

    /**
     * Weakly: the tracker's map of states is weak by thread, and the table of thread slots may
     * keep a state after its thread ended (a strong reference here kept every thread that ever
     * took a lock alive, with its state).
     */
    private final WeakReference<Thread> thread;

    // Three parallel arrays, innermost last (was six: the cache key's site hashes and held-set
    // signatures are now computed when a second lock is taken, not kept per entry, so that a
    // depth-1 lock/unlock writes three slots and reads none of them back).
    Object[] locks = new Object[8];
    String[] sites = new String[8];
    int[] holds = new int[8];
    /** Each entry's node in the folded graph ({@link LockDescriber#foldKey}), once needed; null until then. */
    Object[] folds = new Object[8];
    int size;
    /** Scratch for the graph: the fold key of the lock being taken, once computed (this thread only). */
    Object takenFold;

    /**
     * The lock node this thread is blocked on (contended {@code lock()} only), and where; read by
     * other threads looking for a deadlock, so volatile.
     */
    volatile Object wanted;
    volatile String wantedSite;

    // Direct-mapped cache of known edges, allocated at the first edge (most threads, virtual ones
    // above all, never hold two locks). A slot is keyed by (held site, taken site, held-set
    // signature) and holds an instance entry (weak references to the held and the taken lock) or
    // a class entry (their fold keys and the held set's, valid while the graph's class
    // generation is unchanged): see LockOrderGraph#observe.
    private Object[] cacheHeld;
    private Object[] cacheTaken;
    private int[] cacheSignature;
    /** -1: an instance entry; otherwise the class generation a class entry is valid in. */
    private int[] cacheGeneration;
    /** A class entry's {@link #foldSignature}. */
    private int[] cacheFolds;
    /** The slot's whole key hash (sites and signature), to place it again when the cache grows. */
    private int[] cacheKeys;

    // Locks released by a wait in progress, with their hold counts (a thread can nest waits only
    // through different monitors, so this stays tiny).
    private Object[] waiting = new Object[2];
    private int[] waitingCounts = new int[2];
    private int waitingSize;

    HeldLocks(Thread thread) {
        this.thread = new WeakReference<>(thread);
    }

    /** The thread whose locks these are; null once it was collected. */
    Thread thread() {
        return thread.get();
    }

    int indexOf(Object lock) {
        for (int i = size - 1; i >= 0; i--) {
            if (locks[i] == lock) {
                return i;
            }
        }
        return -1;
    }

    /** Pushes a first hold of {@code lock}; {@code early} is {@link #EARLY} or 0. */
    void push(Object lock, String site, int mode, int early) {
        int n = size;
        if (n == locks.length) {
            grow();
        }
        locks[n] = lock;
        // A site is a constant, and a loop pushes the same one at the same depth again and again:
        // skipping the store when the slot already holds it skips G1's post-write barrier, whose
        // cross-region path (a StoreLoad fence) cost up to 3 ns per lock in the JMH benchmark.
        if (sites[n] != site) {
            sites[n] = site;
        }
        holds[n] = ONE | mode | early;
        size = n + 1;
    }

    private void grow() {
        int n = size * 2;
        locks = Arrays.copyOf(locks, n);
        sites = Arrays.copyOf(sites, n);
        holds = Arrays.copyOf(holds, n);
        folds = Arrays.copyOf(folds, n);
    }

    /** One more hold of entry {@code i}: it is held for sure now. */
    void reenter(int i) {
        holds[i] = (holds[i] + ONE) & ~EARLY;
    }

    /** Releases one hold of entry {@code i}; drops the entry with its last hold. */
    void release(int i) {
        int h = holds[i] - ONE;
        if (h < ONE) {
            remove(i);
        } else {
            holds[i] = h;
        }
    }

    int mode(int i) {
        return holds[i] & MODE_BIT;
    }

    int count(int i) {
        return holds[i] >>> 2;
    }

    boolean early(int i) {
        return (holds[i] & EARLY) != 0;
    }

    void setCount(int i, int count) {
        holds[i] = (count << 2) | (holds[i] & (MODE_BIT | EARLY));
    }

    /**
     * True when this thread surely holds {@code lock} now: its entry is below the top of the
     * stack (the thread went on past taking it), or at the top but not pushed early (a thread
     * blocked in a contended {@code lock()} has that lock pushed early on top). Read from another
     * thread, without locking.
     */
    boolean surelyHolds(Object lock) {
        Object[] l = locks;
        int[] hs = holds;
        int n = Math.min(size, Math.min(l.length, hs.length));
        for (int i = n - 1; i >= 0; i--) {
            if (l[i] == lock) {
                return i < n - 1 || (hs[i] & EARLY) == 0;
            }
        }
        return false;
    }

    /**
     * The lock this thread pushed just before MONITORENTER or a contended {@code lock()}, and may be blocked on, with its
     * site ({@code [lock, site]}), or null when its top entry is not such a first hold. Read from
     * another thread, without locking.
     */
    Object[] earlyTop() {
        Object[] l = locks;
        String[] st = sites;
        int[] hs = holds;
        int t = Math.min(size, Math.min(l.length, Math.min(st.length, hs.length))) - 1;
        if (t < 0 || (hs[t] & EARLY) == 0 || hs[t] >>> 2 != 1) {
            return null;
        }
        Object lock = l[t];
        return lock == null ? null : new Object[] {lock, st[t]};
    }

    /** Drops entry {@code i} (locks need not be released in the order they were taken). */
    void remove(int i) {
        int last = size - 1;
        if (i < last) {
            System.arraycopy(locks, i + 1, locks, i, last - i);
            System.arraycopy(sites, i + 1, sites, i, last - i);
            System.arraycopy(holds, i + 1, holds, i, last - i);
            System.arraycopy(folds, i + 1, folds, i, last - i);
        }
        // Sites are constants; only the lock must not be kept alive.
        locks[last] = null;
        folds[last] = null;
        size = last;
    }

    private static int hash(String site) {
        return site == null ? 0 : site.hashCode();
    }

    /**
     * Cheap signature of the first {@code n} entries (sites and depth): part of every cache key,
     * for the gate rule.
     */
    int signature(int n) {
        int sig = 0;
        for (int k = 0; k < n; k++) {
            sig = sig * 31 + hash(sites[k]) + 1;
        }
        return sig;
    }

    /** The cache's slot for a key; only with a cache allocated (its length is a power of two). */
    private int slot(int heldSiteHash, int takenSiteHash, int signature) {
        return keyHash(heldSiteHash, takenSiteHash, signature) & (cacheHeld.length - 1);
    }

    private static int keyHash(int heldSiteHash, int takenSiteHash, int signature) {
        int h = heldSiteHash * 31 + takenSiteHash;
        h ^= signature * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** Entry {@code i}'s fold key, computed once while it is held. */
    Object fold(int i, LockDescriber describer) {
        Object f = folds[i];
        if (f == null) {
            f = describer.foldKey(locks[i]);
            folds[i] = f;
        }
        return f;
    }

    /** The fold keys of the first {@code n} entries: a class entry covers held sets of the same nodes only. */
    int foldSignature(int n, LockDescriber describer) {
        int sig = 0;
        for (int k = 0; k < n; k++) {
            sig = sig * 31 + fold(k, describer).hashCode(); // a String's or a Class's: never overridden
        }
        return sig;
    }

    /**
     * The key of entries that hold under any held set (the edge is saturated: no gate left), in
     * place of a held set's {@link #signature}; the one signature no class entry checks folds for.
     */
    static final int ANY_HELD = 0x5A7E_0A11;

    /** A miss, a hit, or a class entry to check with {@link #classEntryMatches}. */
    static final int MISS = 0;
    static final int HIT = 1;
    static final int CLASS_ENTRY = 2;

    /**
     * Whether this thread already reported the edge from entry {@code heldIndex} to {@code taken}
     * under this held set, whose {@link #signature} is {@code signature}: {@link #HIT} for the same
     * two locks; {@link #CLASS_ENTRY} when the slot holds a class entry of this generation.
     */
    @SuppressWarnings("unchecked")
    int probe(int heldIndex, Object taken, int takenSiteHash, int signature, int generation) {
        Object[] held = cacheHeld;
        if (held == null) {
            return MISS;
        }
        int s = slot(hash(sites[heldIndex]), takenSiteHash, signature);
        Object h = held[s];
        if (h == null || cacheSignature[s] != signature) {
            return MISS;
        }
        int g = cacheGeneration[s];
        if (g < 0) {
            // refersTo, not get(): no keep-alive barrier for the collector on the hot path.
            return ((WeakReference<Object>) h).refersTo(locks[heldIndex])
                    && ((WeakReference<Object>) cacheTaken[s]).refersTo(taken) ? HIT : MISS;
        }
        return g == generation ? CLASS_ENTRY : MISS;
    }

    /** The class entry of the slot matches: the same nodes held (this one and all) and taken. */
    boolean classEntryMatches(int heldIndex, Object takenFold, int takenSiteHash, int signature,
                              LockDescriber describer) {
        int s = slot(hash(sites[heldIndex]), takenSiteHash, signature);
        return cacheHeld[s] == fold(heldIndex, describer) && cacheTaken[s] == takenFold
                && (signature == ANY_HELD || cacheFolds[s] == foldSignature(size - 1, describer));
    }

    /** Remembers the edge from entry {@code heldIndex} to {@code taken}, these two locks only. */
    void remember(int heldIndex, Object taken, int takenSiteHash, int signature) {
        int s = allocate(heldIndex, takenSiteHash, signature);
        cacheHeld[s] = new WeakReference<>(locks[heldIndex]);
        cacheTaken[s] = new WeakReference<>(taken);
        cacheGeneration[s] = -1;
    }

    /**
     * Remembers that an edge from a lock folded as entry {@code heldIndex} to one folded as
     * {@code takenFold}, at these sites under a held set folded the same, adds nothing while the
     * graph's class generation stays {@code generation}.
     */
    void rememberClasses(int heldIndex, Object takenFold, int takenSiteHash, int signature, int generation,
                         LockDescriber describer) {
        int s = allocate(heldIndex, takenSiteHash, signature);
        cacheHeld[s] = fold(heldIndex, describer);
        cacheTaken[s] = takenFold;
        cacheGeneration[s] = generation;
        cacheFolds[s] = foldSignature(size - 1, describer);
    }

    private int allocate(int heldIndex, int takenSiteHash, int signature) {
        if (cacheHeld == null) {
            newCache(FIRST_CACHE_SIZE);
        }
        int key = keyHash(hash(sites[heldIndex]), takenSiteHash, signature);
        int s = key & (cacheHeld.length - 1);
        while (cacheHeld[s] != null && cacheKeys[s] != key && cacheHeld.length < CACHE_SIZE) {
            newCache(cacheHeld.length * 4);
            s = key & (cacheHeld.length - 1);
        }
        cacheSignature[s] = signature;
        cacheKeys[s] = key;
        return s;
    }

    /**
     * A cache of {@code size} slots holding the entries of the one it replaces (of two that meet
     * in one slot, the later). This thread only; {@link #forgetEdges} may still clear the old arrays.
     */
    private void newCache(int size) {
        Object[] oldHeld = cacheHeld;
        Object[] held = new Object[size];
        Object[] taken = new Object[size];
        int[] signatures = new int[size];
        int[] generations = new int[size];
        int[] folds = new int[size];
        int[] keys = new int[size];
        if (oldHeld != null) {
            for (int i = 0; i < oldHeld.length; i++) {
                if (oldHeld[i] != null) {
                    int s = cacheKeys[i] & (size - 1);
                    held[s] = oldHeld[i];
                    taken[s] = cacheTaken[i];
                    signatures[s] = cacheSignature[i];
                    generations[s] = cacheGeneration[i];
                    folds[s] = cacheFolds[i];
                    keys[s] = cacheKeys[i];
                }
            }
        }
        cacheTaken = taken;
        cacheSignature = signatures;
        cacheGeneration = generations;
        cacheFolds = folds;
        cacheKeys = keys;
        cacheHeld = held; // last: probe() reads it first
    }

    /**
     * Forgets the known edges (scope reset). Called from another thread: a slot written by this
     * thread at the same moment may survive, which only hides that one edge until its locks go.
     */
    void forgetEdges() {
        Object[] held = cacheHeld;
        if (held != null) {
            Arrays.fill(held, null);
        }
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
        waitingCounts[waitingSize] = count(i);
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
