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

    /**
     * Most slots a thread's cache grows to (about 24 KB of arrays and the weak references of its
     * instance entries). A Spring Boot start-up's main thread knows thousands of edges: at 128
     * slots it asked the graph (under its lock) 333,000 times, at 512 151,000, at 2,048 90,000.
     */
    private static final int CACHE_SIZE = 1024;
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

    // Two-way cache of known edges, allocated at the first edge (most threads, virtual ones
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

    /**
     * A key's hash: the held entry's site and, under a held set's signature, its place in that set
     * too: two held locks taken at one site (a registry's lock taken again in a nested call, say)
     * would otherwise share the key of their edges to one lock, each evicting the other's.
     */
    private int keyHash(int heldIndex, int takenSiteHash, int signature) {
        int heldSiteHash = hash(sites[heldIndex]);
        if (signature != ANY_HELD) {
            heldSiteHash += heldIndex * 0x61C8_8647;
        }
        return mix(heldSiteHash * 0x9E37_79B9 + takenSiteHash ^ signature * 0x85EB_CA6B);
    }

    /**
     * Murmur3's finalizer: the sites of one method differ only in their line's digits, so their
     * string hashes differ in a few low bits, which a plain sum kept in step (700 edges between
     * consecutive lines met in a handful of slots).
     */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85EB_CA6B;
        h ^= h >>> 13;
        h *= 0xC2B2_AE35;
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
    /** The key's slot holds another pair of locks: see {@link #probeByIdentity}. */
    static final int OTHER_PAIR = 3;

    /**
     * Whether this thread already reported the edge from entry {@code heldIndex} to {@code taken}
     * under this held set, whose {@link #signature} is {@code signature}: {@link #HIT} for the same
     * two locks; {@link #CLASS_ENTRY} when the slot holds a class entry of this generation;
     * {@link #OTHER_PAIR} when it holds an instance entry of the same key for other locks.
     */
    @SuppressWarnings("unchecked")
    int probe(int heldIndex, Object taken, int takenSiteHash, int signature, int generation) {
        Object[] held = cacheHeld;
        if (held == null) {
            return MISS;
        }
        int s = find(held, keyHash(heldIndex, takenSiteHash, signature));
        if (s < 0 || cacheSignature[s] != signature) {
            return MISS;
        }
        int g = cacheGeneration[s];
        if (g < 0) {
            // refersTo, not get(): no keep-alive barrier for the collector on the hot path.
            return ((WeakReference<Object>) held[s]).refersTo(locks[heldIndex])
                    && ((WeakReference<Object>) cacheTaken[s]).refersTo(taken) ? HIT : OTHER_PAIR;
        }
        return g == generation ? CLASS_ENTRY : MISS;
    }

    /**
     * After {@link #OTHER_PAIR}: whether the pair is kept in its second slot, placed by the taken
     * lock's identity too. Locks taken in turn at one site under one held set (a class loader that
     * asks each of fifty nested jars for a class, each jar's monitor under the same registry lock)
     * would otherwise evict each other from their one slot at every acquisition. Reached only
     * where the graph, which hashes both locks, would otherwise be asked: the taken lock is
     * hashed no sooner than before.
     */
    @SuppressWarnings("unchecked")
    boolean probeByIdentity(int heldIndex, Object taken, int takenSiteHash, int signature) {
        Object[] held = cacheHeld;
        int s = find(held, byIdentity(keyHash(heldIndex, takenSiteHash, signature), taken));
        return s >= 0 && cacheSignature[s] == signature && cacheGeneration[s] < 0
                && ((WeakReference<Object>) held[s]).refersTo(locks[heldIndex])
                && ((WeakReference<Object>) cacheTaken[s]).refersTo(taken);
    }

    /**
     * The slot holding {@code key}, or -1: a key lives in its slot or in that slot's neighbour
     * (two ways, so two hot keys that meet in one slot do not evict each other at every use).
     */
    private int find(Object[] held, int key) {
        int s = key & (held.length - 1);
        if (held[s] != null && cacheKeys[s] == key) {
            return s;
        }
        s ^= 1;
        return held[s] != null && cacheKeys[s] == key ? s : -1;
    }

    private static int byIdentity(int key, Object taken) {
        return mix(key ^ System.identityHashCode(taken));
    }

    /** The class entry of the slot matches: the same nodes held (this one and all) and taken. */
    boolean classEntryMatches(int heldIndex, Object takenFold, int takenSiteHash, int signature,
                              LockDescriber describer) {
        int s = find(cacheHeld, keyHash(heldIndex, takenSiteHash, signature));
        return s >= 0 && cacheHeld[s] == fold(heldIndex, describer) && cacheTaken[s] == takenFold
                && (signature == ANY_HELD || cacheFolds[s] == foldSignature(size - 1, describer));
    }

    /** Remembers the edge from entry {@code heldIndex} to {@code taken}, these two locks only. */
    void remember(int heldIndex, Object taken, int takenSiteHash, int signature) {
        int key = keyHash(heldIndex, takenSiteHash, signature);
        if (holdsOtherLivePair(key)) {
            key = byIdentity(key, taken); // the first pair keeps the key's own slot
        }
        int s = allocate(key, signature);
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
        int s = allocate(keyHash(heldIndex, takenSiteHash, signature), signature);
        cacheHeld[s] = fold(heldIndex, describer);
        cacheTaken[s] = takenFold;
        cacheGeneration[s] = generation;
        cacheFolds[s] = foldSignature(size - 1, describer);
    }

    /** The key's own slot holds an instance entry of that key whose locks are both alive. */
    @SuppressWarnings("unchecked")
    private boolean holdsOtherLivePair(int key) {
        if (cacheHeld == null) {
            return false;
        }
        int s = find(cacheHeld, key);
        return s >= 0 && cacheGeneration[s] < 0
                && !((WeakReference<Object>) cacheHeld[s]).refersTo(null)
                && !((WeakReference<Object>) cacheTaken[s]).refersTo(null);
    }

    private int allocate(int key, int signature) {
        if (cacheHeld == null) {
            newCache(FIRST_CACHE_SIZE);
        }
        int s;
        while (true) {
            s = key & (cacheHeld.length - 1);
            if (cacheHeld[s] == null || cacheKeys[s] == key) {
                break;
            }
            if (cacheHeld[s ^ 1] == null || cacheKeys[s ^ 1] == key) {
                s ^= 1;
                break;
            }
            if (cacheHeld.length >= CACHE_SIZE) {
                break; // both ways taken: the later entry wins
            }
            newCache(Math.min(cacheHeld.length * 4, CACHE_SIZE));
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
                    if (held[s] != null) {
                        s ^= 1;
                    }
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
