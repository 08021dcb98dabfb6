package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteRef;

import dev.vigil.agent.jfr.LowLevelEvents;
import dev.vigil.agent.util.MemoryGovernor;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.Severity;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The lock-order graph, in the manner of Linux lockdep and Guava's {@code CycleDetectingLockFactory}:
 * an edge A -&gt; B when a thread takes B while it holds A; a cycle means two code paths take the same
 * locks in opposite orders, and can deadlock even if this run did not.
 *
 * <p>Two graphs: lock <em>instances</em> (cycles are "observed") and lock <em>classes</em> (the
 * monitor's class; cycles are "predicted": other instances of the same classes, taken by the same
 * code, would close the cycle). Cycles are searched incrementally, from each new (or newly
 * weakened) edge only.
 *
 * <p>Rules that keep correct code quiet:
 * <ul>
 *   <li>re-entrant acquisition adds nothing;</li>
 *   <li>a successful {@code tryLock} adds no edge (it cannot block), but the lock is held and
 *       blocking acquisitions under it do add edges from it;</li>
 *   <li>no cycle when one gate lock was held every time each of its edges was taken;</li>
 *   <li>no cycle made only of read locks (readers do not exclude each other);</li>
 *   <li>a cycle whose edges were all taken by one single thread is INFO: it cannot deadlock in
 *       this program as it ran.</li>
 * </ul>
 *
 * <p>Cost: the hot path ({@link #acquired}, {@link #released}) touches only the thread's own
 * {@link HeldLocks} and allocates nothing for a known edge. A new edge takes the graph's lock,
 * captures one stack (once per pair of code sites), and runs a bounded search, unless the graph
 * folded onto lock classes rules every cycle through it out; then threads remember the edge by its
 * folded nodes, and fresh locks of the same classes taken at the same sites (a request's objects
 * under a connection's lock) cost a cache probe and no lock. The price: an inversion over two
 * locks first taken when no path led back is reported as predicted (over their classes), not as
 * observed; an inversion over application classes is reported either way. Memory: locks are
 * held weakly, edges of collected locks are purged, and every table is capped with a counter.
 */
public final class LockOrderGraph {

    public static final int EXCLUSIVE = 0;
    public static final int READ = 1;

    /** Longest cycle searched; lockdep finds longer ones, but they are rare and costly to search. */
    static final int MAX_CYCLE_LENGTH = 6;
    /** Edges visited per search at most. */
    static final int SEARCH_BUDGET = 20_000;
    static final int MAX_LIVE_EDGES = 100_000;
    static final int MAX_CLASS_EDGES = 20_000;
    static final int MAX_CYCLES = 256;
    static final int MAX_CAPTURES = 8_192;
    /** New stacks per pair of JDK-internal sites (e.g. Hashtable.equals -> Hashtable.size). */
    static final int CAPTURES_PER_INTERNAL_PAIR = 16;

    private final LockDescriber describer;
    private final Supplier<StackTraceElement[]> stacks;

    // Everything below is guarded by this.
    private final HashMap<Long, LockEdge> edges = new HashMap<>();
    private final HashMap<Integer, ArrayList<LockEdge>> outgoing = new HashMap<>();
    private int liveEdges;
    /** Locks of edges that were collected: their edges are removed on the next slow path. */
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final HashMap<String, ClassEdge> classEdges = new HashMap<>();
    private final HashMap<String, ArrayList<ClassEdge>> classOutgoing = new HashMap<>();
    /** Insertion order of the live edges (and of some removed ones, compacted): the oldest are shed first. */
    private final ArrayDeque<LockEdge> order = new ArrayDeque<>();
    private final LinkedHashMap<String, StackTraceElement[]> captures = new LinkedHashMap<>();
    private long capturedFrames;
    /**
     * One instance per distinct frame of the captured stacks: the stacks of a service share most
     * of their frames (its framework's), and a Spring Boot service's 1,000 captures held 57,000
     * {@code StackTraceElement}s, 3 MB, for a few thousand distinct ones. {@code StackTraceElement}
     * is a final JDK class: its {@code equals}/{@code hashCode} run no application code.
     */
    private final HashMap<StackTraceElement, StackTraceElement> distinctFrames = new HashMap<>();
    /** Captured frames that are not in {@link #distinctFrames} (it was full): each its own instance. */
    private long looseFrames;
    private MemoryGovernor governor;
    private final HashMap<String, int[]> internalCaptureCounts = new HashMap<>();
    private final LinkedHashMap<String, LockCycle> cycles = new LinkedHashMap<>();
    private long edgesDropped;
    /** Edges sent to {@link #observe}: the slow path, under this graph's lock. */
    private long observed;
    private long classEdgesDropped;
    private long cyclesDropped;
    private long searchesCut;
    private long edgesPurged;
    private long stacksCaptured;
    private volatile int cycleCount;

    /**
     * The instance graph folded onto lock classes ({@link LockDescriber#foldKey}: a monitor's class,
     * a j.u.c lock's creation site): folding never loses a path, so where this graph leads no way
     * back, no instance cycle goes through the edge, and nothing needs searching. A service takes
     * fresh locks (a request's) under long-lived ones (a connection's) by the million, between a
     * few dozen classes. Edges are only added (a path too many only costs a search), at most
     * {@link #MAX_CLASS_EDGES}; past that every edge is searched.
     */
    private final HashMap<Object, HashSet<Object>> foldedOut = new HashMap<>();
    private int foldedEdges;
    private boolean foldedIncomplete;
    /** Whether a path leads back, by edge (source then target); cleared when an edge closes a cycle. */
    private final HashMap<Object, HashMap<Object, Boolean>> foldedPaths = new HashMap<>();
    /**
     * Bumped when an edge closes a cycle in the folded graph or the scope resets: threads cache edges by their
     * folded nodes ({@link HeldLocks#rememberClasses}) only while it stays the same.
     */
    private volatile int classGeneration;

    /** {@link #observe}: the edge is part of an instance cycle; never cached. */
    static final int SEEN_IN_CYCLE = -1;
    /** {@link #observe}: cache these two locks; a generation (0 or more): cache their folded nodes. */
    static final int SEEN_INSTANCE = -2;
    /** {@link #SEEN_INSTANCE}, and the edge is saturated: seeing it again under any held set changes nothing. */
    static final int SEEN_INSTANCE_ANY_HELD = -3;
    /** A class generation's bits; above them, {@link #ANY_HELD} marks a saturated class result. */
    static final int GENERATION_MASK = 0x3FFF_FFFF;
    static final int ANY_HELD = 0x4000_0000;

    public LockOrderGraph(LockDescriber describer, Supplier<StackTraceElement[]> stacks) {
        this.describer = describer;
        this.stacks = stacks;
    }

    /** The per-thread state for {@code thread}; kept by the caller (in the hooks' thread slot). */
    public HeldLocks newThreadState(Thread thread) {
        return new HeldLocks(thread);
    }

    // ---------------------------------------------------------------- hot path

    /**
     * The thread now holds {@code lock}.
     *
     * @param mode     {@link #EXCLUSIVE} or {@link #READ}
     * @param site     a constant naming where it was taken
     * @param tryLock  taken by a successful tryLock: held, but it orders nothing
     */
    public void acquired(HeldLocks h, Object lock, int mode, String site, boolean tryLock) {
        acquired(h, lock, mode, site, tryLock, 0);
    }

    /**
     * As {@link #acquired(HeldLocks, Object, int, String, boolean)}; {@code early} is
     * {@link HeldLocks#EARLY} when the hook runs just before MONITORENTER (the thread may still
     * block on the monitor). Returns true when an edge just taken is part of an instance cycle:
     * the caller may be about to close a deadlock. Such edges are never cached as known, so this
     * is seen every time (only programs that already have a lock-order cycle pay for it).
     */
    public boolean acquired(HeldLocks h, Object lock, int mode, String site, boolean tryLock, int early) {
        int i = h.indexOf(lock);
        if (i >= 0) {
            h.reenter(i);
            return false;
        }
        // Pushed before the edges are recorded: a thread that closes a cycle with this one (and
        // so records its edge after this one's, under the graph's lock) sees this entry.
        h.push(lock, site, mode, early);
        if (tryLock || h.size <= 1) {
            return false;
        }
        return edgesTo(h, lock, mode, site);
    }

    /**
     * {@code lock}, just pushed on top of {@code h}, is taken while {@code h} holds the entries
     * below it: an edge from each, unless known. The known ones are checked first, outside the
     * re-entry guard (the hot hooks call the tracker outside it, and this touches only the
     * thread's own arrays); recording a new edge can reach instrumented JDK code, so it enters it.
     * Kept out of {@code acquired}, whose depth-1 path stays small enough to inline.
     */
    private boolean edgesTo(HeldLocks h, Object lock, int mode, String site) {
        int siteHash = site == null ? 0 : site.hashCode();
        int held = h.size - 1;
        int signature = h.signature(held);
        int generation = classGeneration;
        h.takenFold = null; // the taken lock's fold key, computed once if needed
        int k = 0;
        while (k < held && known(h, k, lock, siteHash, signature, generation)) {
            k++;
        }
        if (k == held) {
            return false;
        }
        boolean entered = VigilHooks.enter();
        try {
            boolean inCycle = false;
            for (; k < held; k++) {
                if (!known(h, k, lock, siteHash, signature, generation)) {
                    int seen = observe(h, k, lock, mode, site);
                    if (seen == SEEN_IN_CYCLE) {
                        inCycle = true;
                    } else if (seen == SEEN_INSTANCE) {
                        h.remember(k, lock, siteHash, signature);
                    } else if (seen == SEEN_INSTANCE_ANY_HELD) {
                        h.remember(k, lock, siteHash, HeldLocks.ANY_HELD);
                    } else {
                        if (h.takenFold == null) {
                            h.takenFold = describer.foldKey(lock);
                        }
                        boolean anyHeld = (seen & ANY_HELD) != 0;
                        h.rememberClasses(k, h.takenFold, siteHash, anyHeld ? HeldLocks.ANY_HELD : signature,
                                seen & GENERATION_MASK, describer);
                    }
                }
            }
            return inCycle;
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
    }

    /** The thread's cache knows the edge ({@code h.takenFold}: the taken lock's fold key, once computed). */
    private boolean known(HeldLocks h, int k, Object lock, int siteHash, int signature, int generation) {
        return knownUnder(h, k, lock, siteHash, signature, generation)
                || knownUnder(h, k, lock, siteHash, HeldLocks.ANY_HELD, generation);
    }

    /** As {@link #known}, for the entry kept under {@code key}: a held set's signature, or ANY_HELD. */
    private boolean knownUnder(HeldLocks h, int k, Object lock, int siteHash, int key, int generation) {
        int r = h.probe(k, lock, siteHash, key, generation);
        if (r == HeldLocks.OTHER_PAIR) {
            return h.probeByIdentity(k, lock, siteHash, key);
        }
        if (r != HeldLocks.CLASS_ENTRY) {
            return r == HeldLocks.HIT;
        }
        if (h.takenFold == null) {
            h.takenFold = describer.foldKey(lock);
        }
        return h.classEntryMatches(k, h.takenFold, siteHash, key, describer);
    }

    /** The thread releases one hold of {@code lock}. */
    public void released(HeldLocks h, Object lock) {
        int i = h.indexOf(lock);
        if (i >= 0) {
            h.release(i);
        }
    }

    /** A wait releases {@code lock} completely until {@link #waitEnded}. */
    public void waitStarted(HeldLocks h, Object lock) {
        h.releaseForWait(lock);
    }

    /** The wait is over: the lock is taken again, under whatever the thread still holds. */
    public void waitEnded(HeldLocks h, Object lock, String site) {
        int count = h.endWait(lock);
        if (count > 0) {
            acquired(h, lock, EXCLUSIVE, site, false);
            h.setCount(h.indexOf(lock), count);
        }
    }

    // ---------------------------------------------------------------- slow path: a new edge

    /**
     * Records the edge. Returns {@link #SEEN_IN_CYCLE}, {@link #SEEN_INSTANCE}, or a class
     * generation: the folded graph leads no way back, so no instance cycle goes through any edge
     * between locks folded as these two, and another such edge, at the same sites under a held set
     * folded the same, adds nothing to either graph until the generation changes (the class graph's
     * gates are the held set's classes, the same).
     */
    private synchronized int observe(HeldLocks h, int heldIndex, Object taken, int takenMode, String takenSite) {
        observed++;
        Object held = h.locks[heldIndex];
        int fromId = System.identityHashCode(held);
        int toId = System.identityHashCode(taken);
        long key = ((long) fromId << 32) | (toId & 0xFFFF_FFFFL);
        int[] gates = gateIds(h, heldIndex);
        if (h.takenFold == null) {
            h.takenFold = describer.foldKey(taken); // the lock edgesTo is recording edges to
        }
        Object takenFold = h.takenFold;
        LockEdge e = edges.get(key);
        LockEdge first = e;
        while (e != null && (e.from.get() != held || e.to.get() != taken)) {
            e = e.sameKey;
        }
        boolean changed;
        if (e == null) {
            purge();
            String heldSite = h.sites[heldIndex];
            if (liveEdges >= maxLiveEdges()) {
                edgesDropped++;
                // The instance edge is dropped, but the lock classes still learn the order, so
                // predicted cycles survive lock churn (lockdep keeps only classes, for this reason).
                // An example edge (weak references and all) is built only for a new class edge.
                String fromClass = describer.classKey(held, heldSite);
                String toClass = describer.classKey(taken, takenSite);
                if (fromClass != null && toClass != null && !fromClass.equals(toClass)) {
                    boolean readOnly = h.mode(heldIndex) == READ && takenMode == READ;
                    classEdge(h, heldIndex, fromClass, toClass, gates, readOnly, () -> {
                        LockEdge example = new LockEdge(collected, held, taken, fromId, toId, describer.label(held),
                                describer.label(taken), fromClass, toClass, h.mode(heldIndex), takenMode, heldSite,
                                takenSite, capture(heldSite, takenSite), h.thread(), gates);
                        example.removed = true; // never in the table: purge() must not count it out
                        return example;
                    }, null);
                }
                if (!mayCycle(h.fold(heldIndex, describer), takenFold)) {
                    // As below: no instance cycle can go through an edge between locks folded as
                    // these two, so the thread may know it by its folded nodes. Fresh locks at the
                    // same sites then cost a cache probe, not a trip here per pair while full.
                    return classGeneration;
                }
                return SEEN_INSTANCE;
            }
            fold(h.fold(heldIndex, describer), takenFold);
            e = new LockEdge(collected, held, taken, fromId, toId, describer.label(held), describer.label(taken),
                    describer.classKey(held, heldSite), describer.classKey(taken, takenSite), h.mode(heldIndex), takenMode,
                    heldSite, takenSite, capture(heldSite, takenSite), h.thread(), gates);
            e.sameKey = first;
            edges.put(key, e);
            outgoing.computeIfAbsent(fromId, x -> new ArrayList<>(2)).add(e);
            order.addLast(e);
            liveEdges++;
            e.threads.setup[0] = !multiThreaded;
            changed = true;
            if (LowLevelEvents.lockOrderEdgeEnabled()) {
                LowLevelEvents.lockOrderEdge(e.fromLabel, e.toLabel, SiteRef.readable(heldSite),
                        SiteRef.readable(takenSite), e.readOnly);
            }
        } else {
            changed = e.intersectGates(gates) | e.threads.add(h.thread(), !multiThreaded)
                    | e.observeModes(h.mode(heldIndex), takenMode);
            observedBy(e, h, h.sites[heldIndex], takenSite);
        }
        boolean mayCycle = mayCycle(h.fold(heldIndex, describer), takenFold);
        if (changed && mayCycle) {
            searchInstanceCycles(e, held, taken);
        }
        LockEdge instance = e;
        e.classEdge = classEdge(h, heldIndex, e.fromClass, e.toClass, e.gates, e.readOnly, () -> instance, e.classEdge);
        if (e.inCycle) {
            return SEEN_IN_CYCLE;
        }
        // Saturated: no gate left, not read-only, and the same for its class edge; the thread is in
        // their sets now. Seen again by this thread, under whatever it holds, nothing can change.
        ClassEdge c = e.classEdge;
        boolean saturated = e.gates == null && !e.readOnly
                && (c == null || c.gates == null && c.gateClasses == null && !c.readOnly);
        if (mayCycle) {
            return saturated ? SEEN_INSTANCE_ANY_HELD : SEEN_INSTANCE;
        }
        return classGeneration | (saturated ? ANY_HELD : 0);
    }

    private void fold(Object from, Object to) {
        HashSet<Object> out = foldedOut.get(from);
        if (out != null && out.contains(to)) {
            return;
        }
        if (foldedEdges >= MAX_CLASS_EDGES) {
            if (!foldedIncomplete) {
                foldedIncomplete = true;
                classGeneration = (classGeneration + 1) & GENERATION_MASK;
            }
            return;
        }
        foldedOut.computeIfAbsent(from, x -> new HashSet<>(4)).add(to);
        foldedEdges++;
        if (from.equals(to)) {
            return; // a loop on one node leads nowhere new
        }
        // Only an edge that closes a cycle can make a path lead back along an edge already in the
        // graph (every edge asked about is in it: H -> T, and a new path T ~> H through X -> Y
        // would mean Y ~> H -> T ~> X). Any other edge changes no answer given so far: the threads'
        // caches and the answers kept stay valid, and a service's start-up, which adds edges by
        // the thousand, does not empty them at each one.
        boolean closes = foldedPath(to, from);
        if (closes) {
            foldedPaths.clear();
            classGeneration = (classGeneration + 1) & GENERATION_MASK;
        }
        foldedPaths.computeIfAbsent(from, x -> new HashMap<>()).put(to, closes);
    }

    /** Could an instance cycle go through an edge folded as {@code from -> to}: does the folded graph lead back? */
    private boolean mayCycle(Object from, Object to) {
        if (foldedIncomplete || from.equals(to)) {
            return true;
        }
        HashMap<Object, Boolean> paths = foldedPaths.computeIfAbsent(from, x -> new HashMap<>());
        Boolean known = paths.get(to);
        if (known == null) {
            known = foldedPath(to, from);
            paths.put(to, known);
        }
        return known;
    }

    private boolean foldedPath(Object source, Object target) {
        HashSet<Object> seen = new HashSet<>();
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.add(source);
        seen.add(source);
        while (!todo.isEmpty()) {
            HashSet<Object> out = foldedOut.get(todo.poll());
            if (out == null) {
                continue;
            }
            for (Object next : out) {
                if (next.equals(target)) {
                    return true;
                }
                if (seen.add(next)) {
                    todo.add(next);
                }
            }
        }
        return false;
    }

    /** The locks held besides entry {@code heldIndex}; the top entry is the lock being taken. */
    private static int[] gateIds(HeldLocks h, int heldIndex) {
        int held = h.size - 1;
        if (held <= 1) {
            return null;
        }
        int[] ids = new int[held - 1];
        int n = 0;
        for (int i = 0; i < held; i++) {
            if (i != heldIndex) {
                ids[n++] = System.identityHashCode(h.locks[i]);
            }
        }
        return ids;
    }

    private StackTraceElement[] capture(String heldSite, String takenSite) {
        String key = heldSite + '\u0000' + takenSite;
        StackTraceElement[] known = captures.get(key);
        boolean internal = SiteRef.isInternal(heldSite) || SiteRef.isInternal(takenSite);
        if (known != null) {
            if (!internal) {
                return known;
            }
            int[] count = internalCaptureCounts.computeIfAbsent(key, k -> new int[1]);
            if (count[0] >= CAPTURES_PER_INTERNAL_PAIR) {
                return known;
            }
            count[0]++;
        } else if (captures.size() >= maxCaptures()) {
            return null;
        }
        StackTraceElement[] now = stacks.get();
        stacksCaptured++;
        looseFrames += shareFrames(now);
        StackTraceElement[] replaced = captures.put(key, now);
        capturedFrames += now.length - (replaced == null ? 0 : replaced.length);
        return now;
    }

    /** Replaces each frame of {@code stack} by its shared instance; returns how many could not be (the map is full). */
    private int shareFrames(StackTraceElement[] stack) {
        int loose = 0;
        for (int i = 0; i < stack.length; i++) {
            StackTraceElement f = stack[i];
            StackTraceElement shared = distinctFrames.get(f);
            if (shared != null) {
                stack[i] = shared;
            } else if (distinctFrames.size() < MAX_DISTINCT_FRAMES) {
                distinctFrames.put(f, f);
            } else {
                loose++;
            }
        }
        return loose;
    }

    /** Distinct frames shared by the captured stacks, at most. */
    static final int MAX_DISTINCT_FRAMES = 65_536;

    /** How many times a thread asked the graph about an edge its own cache did not know. */
    synchronized long observed() {
        return observed;
    }

    /** Set once any two live locks were seen taken in opposite orders (an instance cycle); never cleared. */
    private volatile boolean instanceCycleSeen;

    /**
     * Whether the program ever took live locks in a cycle of orders. Until it has, no wait can
     * close a deadlock: each thread in a wait cycle recorded its edge before it blocked, so the
     * cycle of waits is a cycle of edges, found when its last edge was recorded.
     */
    public boolean instanceCycleSeen() {
        return instanceCycleSeen;
    }

    /**
     * False until the program starts a thread of its own: edges seen before are set-up edges (see
     * {@link #judge}). Once set, the threads' caches must be emptied ({@link HeldLocks#forgetEdges})
     * so that set-up edges taken again are seen again.
     */
    private volatile boolean multiThreaded;

    /** The program started its first thread of its own. */
    void programStartedThreads() {
        multiThreaded = true;
    }

    // ---------------------------------------------------------------- memory budget

    /** Estimated bytes of a live edge with its references, thread set and strings (heap histogram, JDK 17). */
    static final int EDGE_BYTES = 700;
    /** Estimated bytes of one frame instance (a {@code StackTraceElement}; its strings are the class's own). */
    static final int FRAME_BYTES = 64;
    /** Estimated bytes of a captured stack's slot for a shared frame. */
    static final int SHARED_SLOT_BYTES = 4;
    /** Estimated bytes of a distinct frame: its instance and its map entry. */
    static final int DISTINCT_FRAME_BYTES = FRAME_BYTES + 48;
    /** Frames of an average capture, for the cap on captures. */
    static final int FRAMES_PER_CAPTURE = 40;

    /** Caps the instance edges and the captured stacks by {@code g}'s budget and lets it shed them, oldest first. */
    public void governedBy(MemoryGovernor g) {
        synchronized (this) {
            governor = g;
        }
        g.register(MemoryGovernor.Store.of("lockEdges", () -> {
            synchronized (this) {
                return (long) liveEdges * EDGE_BYTES;
            }
        }, bytes -> shedEdges((int) Math.min(Integer.MAX_VALUE, (bytes + EDGE_BYTES - 1) / EDGE_BYTES))));
        g.register(MemoryGovernor.Store.of("lockStacks", () -> {
            synchronized (this) {
                return stackBytes();
            }
        }, this::shedCaptures));
    }

    /** Estimated bytes of the captured stacks: their slots, the shared frames, the frames not shared. */
    private long stackBytes() {
        return capturedFrames * SHARED_SLOT_BYTES + (long) distinctFrames.size() * DISTINCT_FRAME_BYTES
                + looseFrames * FRAME_BYTES;
    }

    private int maxLiveEdges() {
        MemoryGovernor g = governor;
        return g == null ? MAX_LIVE_EDGES : g.capFor(EDGE_BYTES, MAX_LIVE_EDGES);
    }

    private int maxCaptures() {
        MemoryGovernor g = governor;
        return g == null ? MAX_CAPTURES : g.capFor(FRAME_BYTES * FRAMES_PER_CAPTURE, MAX_CAPTURES);
    }

    /**
     * Removes up to {@code n} of the oldest live edges that are in no cycle. Their classes keep the
     * order (the class graph is not shed), so an inversion seen later is still reported, as predicted.
     */
    synchronized int shedEdges(int n) {
        purge();
        int shed = 0;
        ArrayList<LockEdge> kept = new ArrayList<>();
        while (shed < n && !order.isEmpty()) {
            LockEdge e = order.pollFirst();
            if (e.removed) {
                continue;
            }
            if (e.inCycle) {
                kept.add(e);
                continue;
            }
            e.removed = true;
            unlink(e);
            shed++;
        }
        for (int i = kept.size() - 1; i >= 0; i--) {
            order.addFirst(kept.get(i));
        }
        liveEdges -= shed;
        return shed; // counted by the governor (agent.memory.lockEdgesShed)
    }

    /**
     * Forgets the oldest captured stacks (an edge keeps its own); a pair of sites seen again captures
     * anew. The shared frames go with the last stack: a stack alone frees only its slots.
     */
    synchronized long shedCaptures(long bytes) {
        long shed = 0;
        long before = stackBytes();
        var it = captures.entrySet().iterator();
        while (before - stackBytes() < bytes && it.hasNext()) {
            int frames = it.next().getValue().length;
            it.remove();
            capturedFrames -= frames;
            shed++;
            if (captures.isEmpty()) {
                distinctFrames.clear();
                looseFrames = 0;
            }
        }
        if (captures.isEmpty()) {
            internalCaptureCounts.clear();
            distinctFrames.clear();
            looseFrames = 0;
        }
        return shed;
    }

    /** Drops the edges whose locks were collected: short-lived locks leave nothing behind. */
    private void purge() {
        Reference<?> r;
        while ((r = collected.poll()) != null) {
            LockEdge dead = ((LockEdge.Ref) r).edge;
            if (dead.removed) {
                continue;
            }
            dead.removed = true;
            liveEdges--;
            edgesPurged++;
            unlink(dead);
        }
        if (order.size() > 2L * liveEdges + 1024) {
            order.removeIf(x -> x.removed); // purged edges leave the order in bulk
        }
    }

    /** Takes an edge out of the tables (it is marked removed already). */
    private void unlink(LockEdge dead) {
        long key = ((long) dead.fromId << 32) | (dead.toId & 0xFFFF_FFFFL);
        LockEdge head = edges.get(key);
        if (head == dead) {
            if (dead.sameKey == null) {
                edges.remove(key);
            } else {
                edges.put(key, dead.sameKey);
            }
        } else {
            for (LockEdge x = head; x != null; x = x.sameKey) {
                if (x.sameKey == dead) {
                    x.sameKey = dead.sameKey;
                    break;
                }
            }
        }
        ArrayList<LockEdge> out = outgoing.get(dead.fromId);
        if (out != null) {
            out.remove(dead);
            if (out.isEmpty()) {
                outgoing.remove(dead.fromId);
            }
        }
    }

    // ---------------------------------------------------------------- instance cycles

    private void searchInstanceCycles(LockEdge added, Object from, Object to) {
        ArrayList<LockEdge> path = new ArrayList<>();
        path.add(added);
        int[] budget = {SEARCH_BUDGET};
        searchFrom(to, added.toId, from, path, budget);
        if (budget[0] <= 0) {
            searchesCut++;
        }
    }

    private void searchFrom(Object node, int nodeId, Object target, ArrayList<LockEdge> path, int[] budget) {
        ArrayList<LockEdge> out = outgoing.get(nodeId);
        if (out == null) {
            return;
        }
        for (int i = 0; i < out.size() && budget[0] > 0; i++) {
            LockEdge x = out.get(i);
            budget[0]--;
            if (x.from.get() != node) {
                continue;
            }
            Object next = x.to.get();
            if (next == null) {
                continue;
            }
            if (next == target) {
                path.add(x);
                judgeInstanceCycle(path);
                path.remove(path.size() - 1);
            } else if (path.size() < MAX_CYCLE_LENGTH && !onPath(path, next)) {
                path.add(x);
                searchFrom(next, x.toId, target, path, budget);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean onPath(List<LockEdge> path, Object lock) {
        for (LockEdge e : path) {
            if (e.from.get() == lock) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only a cycle that can deadlock marks its edges: one that a gate lock or read-only edges rule
     * out never can, however often its edges are taken, and marked edges are never cached (each
     * acquisition of one takes the graph's lock). Should an edge lose its gate or its read-only
     * mode later, that observation changes it, and the search from it judges the cycle again.
     */
    private void judgeInstanceCycle(List<LockEdge> path) {
        if (cannotDeadlock(path)) {
            return;
        }
        instanceCycleSeen = true;
        for (LockEdge e : path) {
            e.inCycle = true;
        }
        judge(path, null, LockCycle.OBSERVED, Severity.ERROR);
    }

    /** Every edge read-only, or one gate lock held on every edge: the rules of {@link #judge}. */
    private static boolean cannotDeadlock(List<? extends GraphEdge> path) {
        boolean allRead = true;
        int[] commonGates = path.get(0).gates;
        for (GraphEdge e : path) {
            allRead &= e.readOnly;
            commonGates = EdgeThreads.intersect(commonGates, e.gates);
        }
        return allRead || commonGates != null;
    }

    /**
     * Records the cycle unless a rule says it cannot deadlock: every edge read-only, or one gate
     * lock (instance, or for class cycles lock class) held on every edge.
     */
    private void judge(List<? extends GraphEdge> path, String[] gateClasses, String mode, Severity manyThreads) {
        if (gateClasses != null || cannotDeadlock(path)) {
            return;
        }
        EdgeThreads[] threads = new EdgeThreads[path.size()];
        for (int i = 0; i < path.size(); i++) {
            threads[i] = path.get(i).threads;
        }
        long[] chosen = chooseThreads(threads);
        Severity severity = distinct(chosen) > 1 ? manyThreads : Severity.INFO;
        boolean setupEdge = false;
        for (EdgeThreads t : threads) {
            setupEdge |= t.onlyDuringSetup();
        }
        if (setupEdge && severity == Severity.ERROR) {
            // An edge taken only before the program started any thread cannot have overlapped with
            // the others in this run; the same code run again once threads exist would.
            severity = Severity.WARNING;
        }
        List<LockCycle.Step> steps = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            GraphEdge e = path.get(i);
            int t = indexOf(e.threads, chosen[i]);
            // The chosen thread's own path: where it took this edge, not where the edge was first seen.
            steps.add(new LockCycle.Step(e.fromKey, e.fromLabel, e.toKey, e.toLabel, e.threads.names[t],
                    e.threads.ids[t], e.threads.heldSite(t, e.heldSite), e.threads.takenSite(t, e.takenSite),
                    e.threads.stack(t, e.stack)));
        }
        String[] firstSites = new String[path.size()];
        for (int i = 0; i < path.size(); i++) {
            firstSites[i] = path.get(i).heldSite + ">" + path.get(i).takenSite;
        }
        // Keyed by the edges' first sites, which never change: judged again with other threads, the
        // same cycle replaces its entry instead of adding one.
        record(new LockCycle(mode, severity, steps, setupEdge), canonicalKey(mode, firstSites));
    }

    // ---------------------------------------------------------------- class cycles (predicted)

    /** Records the class edge; returns it (null when there is none), {@code known} if given. */
    private ClassEdge classEdge(HeldLocks h, int heldIndex, String from, String to, int[] instanceGates,
                                boolean instanceReadOnly, Supplier<LockEdge> instance, ClassEdge known) {
        if (from == null || to == null || from.equals(to)) {
            return null;
        }
        ClassEdge c = known;
        String key = null;
        if (c == null) {
            key = from + '\n' + to;
            c = classEdges.get(key);
        }
        String[] gateClasses = gateClasses(h, heldIndex);
        boolean changed;
        if (c == null) {
            if (classEdges.size() >= MAX_CLASS_EDGES) {
                classEdgesDropped++;
                return null;
            }
            c = new ClassEdge(from, to, instance.get(), gateClasses, h.thread());
            c.threads.setup[0] = !multiThreaded;
            classEdges.put(key, c);
            classOutgoing.computeIfAbsent(from, x -> new ArrayList<>(2)).add(c);
            changed = true;
        } else {
            changed = c.intersectGates(instanceGates, gateClasses) | c.threads.add(h.thread(), !multiThreaded);
            observedBy(c, h, h.sites[heldIndex], h.sites[h.size - 1]);
            if (c.readOnly && !instanceReadOnly) {
                c.readOnly = false;
                changed = true;
            }
        }
        if (changed) {
            ArrayList<ClassEdge> path = new ArrayList<>();
            path.add(c);
            int[] budget = {SEARCH_BUDGET};
            searchClasses(to, from, path, budget);
        }
        return c;
    }

    private String[] gateClasses(HeldLocks h, int heldIndex) {
        int held = h.size - 1; // the top entry is the lock being taken
        if (held <= 1) {
            return null;
        }
        String[] out = new String[held - 1];
        int n = 0;
        for (int i = 0; i < held; i++) {
            if (i != heldIndex) {
                String k = describer.classKey(h.locks[i], h.sites[i]);
                if (k != null) {
                    out[n++] = k;
                }
            }
        }
        return n == 0 ? null : Arrays.copyOf(out, n);
    }

    private void searchClasses(String node, String target, ArrayList<ClassEdge> path, int[] budget) {
        ArrayList<ClassEdge> out = classOutgoing.get(node);
        if (out == null) {
            return;
        }
        for (int i = 0; i < out.size() && budget[0] > 0; i++) {
            ClassEdge x = out.get(i);
            budget[0]--;
            if (x.to.equals(target)) {
                path.add(x);
                judgeClassCycle(path);
                path.remove(path.size() - 1);
            } else if (path.size() < MAX_CYCLE_LENGTH && !onClassPath(path, x.to)) {
                path.add(x);
                searchClasses(x.to, target, path, budget);
                path.remove(path.size() - 1);
            }
        }
    }

    private static boolean onClassPath(List<ClassEdge> path, String cls) {
        for (ClassEdge e : path) {
            if (e.from.equals(cls)) {
                return true;
            }
        }
        return false;
    }

    private void judgeClassCycle(List<ClassEdge> path) {
        String[] gateClasses = path.get(0).gateClasses;
        for (ClassEdge e : path) {
            gateClasses = ClassEdge.intersect(gateClasses, e.gateClasses);
        }
        judge(path, gateClasses, LockCycle.PREDICTED, Severity.WARNING);
    }

    // ---------------------------------------------------------------- cycles found

    /** One thread per edge, as many distinct ones as the edges allow (greedy). */
    /**
     * A thread that takes {@code e} for the first time: its sites, and a stack (the site pair's
     * known one when the sites differ from the edge's first, else its own, at most
     * {@link #MAX_CAPTURES} of those in all), so that a cycle shows the paths of its own threads.
     */
    private void observedBy(GraphEdge e, HeldLocks h, String heldSite, String takenSite) {
        Thread t = h.thread();
        int i = t == null ? -1 : e.threads.indexOf(dev.vigil.agent.host.ThreadFacts.id(t));
        if (i <= 0 || !e.threads.needsObservation(i)) {
            return;
        }
        StackTraceElement[] stack;
        if (heldSite != null && heldSite.equals(e.heldSite) && takenSite != null && takenSite.equals(e.takenSite)) {
            // The same lines: the callers above them are what tells this thread's path apart.
            if (threadCaptures >= maxCaptures()) {
                stack = e.stack;
            } else {
                threadCaptures++;
                stack = stacks.get();
                stacksCaptured++;
                looseFrames += shareFrames(stack);
                capturedFrames += stack.length;
            }
        } else {
            stack = capture(heldSite, takenSite);
        }
        e.threads.observed(i, heldSite, takenSite, stack);
    }

    /** Stacks captured for a later thread of an edge at the edge's own sites ({@link #observedBy}). */
    private long threadCaptures;

    private static long[] chooseThreads(EdgeThreads[] threads) {
        int n = threads.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Edges with the fewest candidate threads choose first.
        Arrays.sort(order, (x, y) -> Integer.compare(threads[x].size, threads[y].size));
        long[] chosen = new long[n];
        boolean[] done = new boolean[n];
        for (int o = 0; o < n; o++) {
            int i = order[o];
            chosen[i] = threads[i].ids[0];
            // A thread not used by another edge, preferring one that took the edge after set-up.
            boolean found = false;
            for (int pass = 0; pass < 2 && !found; pass++) {
                for (int k = 0; k < threads[i].size && !found; k++) {
                    boolean used = false;
                    for (int j = 0; j < n; j++) {
                        used |= done[j] && chosen[j] == threads[i].ids[k];
                    }
                    if (!used && (pass == 1 || !threads[i].setup[k])) {
                        chosen[i] = threads[i].ids[k];
                        found = true;
                    }
                }
            }
            done[i] = true;
        }
        return chosen;
    }

    private static int distinct(long[] ids) {
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            boolean seen = false;
            for (int j = 0; j < i; j++) {
                seen |= ids[j] == ids[i];
            }
            if (!seen) {
                n++;
            }
        }
        return n;
    }

    private static int indexOf(EdgeThreads t, long id) {
        for (int i = 0; i < t.size; i++) {
            if (t.ids[i] == id) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Keeps a cycle unless the same one (same code sites, any rotation) is already known at least
     * as severe; an observed cycle replaces a predicted one over the same sites.
     */
    private void record(LockCycle cycle, String key) {
        LockCycle old = cycles.get(key);
        if (old != null) {
            // The latest judgement of the same edges, unless it is less severe (its threads chosen
            // anew: the paths shown follow the threads that take the edges now).
            boolean better = cycle.severity().ordinal() <= old.severity().ordinal();
            if (!better) {
                return;
            }
            cycles.put(key, cycle);
            return;
        }
        if (cycle.mode().equals(LockCycle.PREDICTED) && cycles.containsKey(LockCycle.OBSERVED + key.substring(key.indexOf('\n')))) {
            return;
        }
        if (cycles.size() >= MAX_CYCLES) {
            cyclesDropped++;
            return;
        }
        cycles.put(key, cycle);
        cycleCount = cycles.size();
    }

    /** The sites of the edges, rotated to start at the smallest: the same cycle found from any edge. */
    private static String canonicalKey(String mode, String[] parts) {
        int n = parts.length;
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (rotation(parts, i).compareTo(rotation(parts, best)) < 0) {
                best = i;
            }
        }
        return mode + '\n' + rotation(parts, best);
    }

    private static String rotation(String[] parts, int start) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            sb.append(parts[(start + i) % parts.length]).append('|');
        }
        return sb.toString();
    }

    /**
     * Starts a new scope (MBean / JUnit {@code resetScope}): the edges and cycles seen so far are
     * forgotten, so a cycle is reported only when every edge of it is taken again in the new scope
     * (a lock held across the reset still orders what is taken under it later). The threads' caches
     * of known edges must be cleared too ({@link HeldLocks#forgetEdges}), or known edges would never
     * come back. Truncation counters keep counting.
     */
    public synchronized void resetScope() {
        for (LockEdge head : edges.values()) {
            for (LockEdge e = head; e != null; e = e.sameKey) {
                e.removed = true; // its weak references may still be enqueued: purge() skips it
            }
        }
        edges.clear();
        outgoing.clear();
        order.clear();
        liveEdges = 0;
        classEdges.clear();
        classOutgoing.clear();
        classGeneration = (classGeneration + 1) & GENERATION_MASK;
        cycles.clear();
        cycleCount = 0;
    }

    /** The cycles found so far, in the order found (predicted ones hidden by an observed twin). */
    public synchronized List<LockCycle> cycles() {
        List<LockCycle> out = new ArrayList<>();
        for (Map.Entry<String, LockCycle> e : cycles.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(LockCycle.PREDICTED)
                    && cycles.containsKey(LockCycle.OBSERVED + k.substring(k.indexOf('\n')))) {
                continue;
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** How many cycles are known; cheap, for polling. */
    public int cycleCount() {
        return cycleCount;
    }

    /** What was dropped or cut to keep memory and time bounded, by counter name. */
    public synchronized Map<String, Long> truncated() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("lockEdgesDropped", edgesDropped);
        m.put("lockClassEdgesDropped", classEdgesDropped);
        m.put("lockCyclesDropped", cyclesDropped);
        m.put("lockCycleSearchesCut", searchesCut);
        return m;
    }

    /** Live instance edges and purge count: memory stays flat when locks are short-lived. */
    public synchronized long[] edgeCounts() {
        return new long[] {liveEdges, edgesPurged, classEdges.size(), stacksCaptured};
    }
}
