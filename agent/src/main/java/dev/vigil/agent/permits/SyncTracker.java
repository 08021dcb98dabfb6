package dev.vigil.agent.permits;

import dev.vigil.agent.host.SemaphoreFacts;
import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.jfr.LowLevelEvents;
import dev.vigil.agent.stack.SiteRef;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bootstrap.SyncListener;
import dev.vigil.bootstrap.ThreadSlot;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.SemaphoreSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Receives semaphore, latch and wait events from the hooks: a {@link PermitLedger} per semaphore
 * and a {@link LatchRecord} per latch (both keyed weakly: Vigil never keeps a semaphore or latch
 * alive), and the set of waits in progress that the {@link StuckWaitWatch} looks at.
 */
public final class SyncTracker implements SyncListener {

    static final int MAX_SEMAPHORES = 10_000;
    static final int MAX_LATCHES = 10_000;
    static final int MAX_WAITS = 10_000;

    final WeakIdentityMap<PermitLedger> semaphores = new WeakIdentityMap<>();
    final WeakIdentityMap<LatchRecord> latches = new WeakIdentityMap<>();
    final WeakIdentityMap<PhaserRecord> phasers = new WeakIdentityMap<>();
    private final AtomicLong phasersDropped = new AtomicLong();
    final Set<WaitRecord> waits = ConcurrentHashMap.newKeySet();
    /** Who notified the monitors untimed waits were seen on. */
    final MonitorNotifiers monitorNotifiers = new MonitorNotifiers();
    private final AtomicLong semaphoresDropped = new AtomicLong();
    private final AtomicLong semaphoresForgotten = new AtomicLong();
    /** Ledgers made since the last sweep of idle ones ({@link #semaphoreRoom}); racy, a pacing hint only. */
    private int ledgersSinceSweep;
    private final AtomicLong latchesDropped = new AtomicLong();
    private final AtomicLong waitsDropped = new AtomicLong();
    private final AtomicLong ledgerSeq = new AtomicLong();
    private volatile long semaphoresNotListed;
    private final AtomicLong permitsUnattributed = new AtomicLong();
    private final LongSupplier clock;
    /** Set when a release raised a semaphore above its limit, for the watch to publish. */
    volatile boolean overReleaseSeen;

    /**
     * The time of the last {@link #sweep()} (the watch's tick, at most a second apart): when
     * permits were taken needs no better, and a volatile read is far cheaper on the hot path than
     * {@code currentTimeMillis}.
     */
    private volatile long coarseNow;

    public SyncTracker(LongSupplier clock) {
        this.clock = clock;
        this.coarseNow = clock.getAsLong();
    }

    // ---------------------------------------------------------------- semaphores

    // acquired and released are the hot path (see PermitCache): an own-thread acquire/release pair
    // on the semaphore this thread used last touches only the thread's cache in its hook slot (no
    // map lookup, no monitor, no allocation); small enough to be inlined into the hook.

    @Override
    public void acquired(ThreadSlot slot, Object semaphore, int permits, String site) {
        Object o = slot.permits;
        if (o != null) {
            PermitCache c = (PermitCache) o;
            if (c.held == 0 && permits > 0 && c.semaphore.refersTo(semaphore)
                    && !LowLevelEvents.permitAcquireEnabled()) {
                c.fastAcquired(permits, site, coarseNow);
                return;
            }
        }
        // The hook does not enter the re-entry guard (the fast path above needs none): the slow path does.
        if (!VigilHooks.enter()) {
            return;
        }
        try {
            slowAcquired(slot, (Semaphore) semaphore, permits, site);
        } finally {
            VigilHooks.leave();
        }
    }

    @Override
    public void released(ThreadSlot slot, Object semaphore, int permits, String site) {
        Object o = slot.permits;
        if (o != null) {
            PermitCache c = (PermitCache) o;
            // debt != 0: another thread gave these permits back already (a racy look: if missed,
            // the fold settles it, see PermitLedger.fold)
            if (c.held == permits && permits > 0 && c.debt == 0 && c.semaphore.refersTo(semaphore)
                    && !LowLevelEvents.permitReleaseEnabled()) {
                c.fastReleased(permits, site);
                return;
            }
        }
        if (!VigilHooks.enter()) {
            return;
        }
        try {
            slowReleased(slot, (Semaphore) semaphore, permits, site);
        } finally {
            VigilHooks.leave();
        }
    }

    private void slowAcquired(ThreadSlot slot, Semaphore s, int permits, String site) {
        PermitCache c = cache(slot);
        PermitLedger l = attached(c, s, permits, site);
        if (l != null) {
            int unattributed;
            boolean over;
            synchronized (l) {
                boolean before = l.overReleaseSite != null;
                // the fold sees the permits free before this acquisition
                unattributed = fold(c, l, SemaphoreFacts.available(s) + permits)
                        + l.acquired(Thread.currentThread(), permits, site, coarseNow);
                attach(c, l, s);
                over = !before && l.overReleaseSite != null;
            }
            if (over) {
                overReleaseSeen = true;
            }
            if (unattributed != 0) {
                permitsUnattributed.addAndGet(unattributed);
            }
        }
        if (LowLevelEvents.permitAcquireEnabled()) {
            LowLevelEvents.permitAcquired(label(s), permits, SemaphoreFacts.available(s), location(site));
        }
    }

    private void slowReleased(ThreadSlot slot, Semaphore s, int permits, String site) {
        int available = SemaphoreFacts.available(s);
        PermitCache c = cache(slot);
        PermitLedger l = attached(c, s, permits == 0 ? 0 : -permits, site);
        if (l != null) {
            boolean over;
            int unattributed;
            synchronized (l) {
                boolean before = l.overReleaseSite != null;
                unattributed = fold(c, l, available - permits);
                over = l.released(Thread.currentThread(), permits, site, available) || !before && l.overReleaseSite != null;
                attach(c, l, s);
            }
            if (unattributed != 0) {
                permitsUnattributed.addAndGet(unattributed);
            }
            if (over) {
                overReleaseSeen = true;
            }
        }
        if (LowLevelEvents.permitReleaseEnabled()) {
            LowLevelEvents.permitReleased(label(s), permits, available, location(site));
        }
    }

    private static PermitCache cache(ThreadSlot slot) {
        Object o = slot.permits;
        if (o == null) {
            PermitCache c = new PermitCache(Thread.currentThread());
            slot.permits = c;
            return c;
        }
        return (PermitCache) o;
    }

    /**
     * The ledger of {@code s}: the cached one, or (after folding the cache into the ledger of the
     * semaphore it held and unlisting it there) the one from the map, created on first sight.
     */
    private PermitLedger attached(PermitCache c, Semaphore s, int taken, String site) {
        if (c.ledger != null && c.semaphore.get() == s) {
            return c.ledger;
        }
        detach(c);
        return ledger(s, taken, site);
    }

    /** Folds {@code c} into its ledger and unlists it there (owner thread). */
    private void detach(PermitCache c) {
        PermitLedger old = c.ledger;
        if (old != null) {
            Object sem = c.semaphore.get();
            int available = sem instanceof Semaphore s ? SemaphoreFacts.available(s) : -1;
            int unattributed;
            boolean over;
            synchronized (old) {
                boolean before = old.overReleaseSite != null;
                unattributed = old.fold(c, available);
                old.removeCache(c);
                over = !before && old.overReleaseSite != null;
            }
            if (over) {
                overReleaseSeen = true;
            }
            if (unattributed != 0) {
                permitsUnattributed.addAndGet(unattributed);
            }
        }
        c.ledger = null;
        c.semaphore = PermitCache.NONE;
    }

    /** Folds {@code c} into {@code l} when it is listed there (owner thread, holding {@code l}'s monitor). */
    private static int fold(PermitCache c, PermitLedger l, int availableNow) {
        return c.ledger == l ? l.fold(c, availableNow) : 0;
    }

    /** Lists {@code c} in {@code l} if it is not yet (owner thread, holding {@code l}'s monitor). */
    private static void attach(PermitCache c, PermitLedger l, Semaphore s) {
        if (c.ledger == l) {
            return;
        }
        if (l.addCache(c)) {
            c.ledger = l;
            c.semaphore = new java.lang.ref.WeakReference<>(s);
        }
    }

    /**
     * The ledger of {@code s}, created on first sight with the permits available before this event
     * as its limit ({@code taken} permits were just acquired, or released when negative).
     */
    private PermitLedger ledger(Semaphore s, int taken, String site) {
        PermitLedger l = semaphores.get(s);
        if (l != null) {
            if (l.firstSite == null) {
                l.firstSite = site; // made at creation: this is the first use
            }
            return l;
        }
        if (!semaphoreRoom()) {
            semaphoresDropped.incrementAndGet();
            return null;
        }
        PermitLedger fresh = new PermitLedger(label(s), Math.max(0, SemaphoreFacts.available(s) + taken), site,
                ledgerSeq.incrementAndGet());
        PermitLedger prior = semaphores.putIfAbsent(s, fresh);
        return prior == null ? fresh : prior;
    }

    /**
     * Whether the table has room for one more ledger. When it is full even without the ledgers of
     * collected semaphores, the ledgers of idle ones are forgotten ({@link PermitLedger#idle}:
     * nothing held, no release waiting to be paid, no thread's cache listed): a server that makes a
     * semaphore per reserved thread, thousands a second, fills the table with ones it is done with
     * faster than the collector clears them, and a semaphore whose creation then goes unseen gets
     * its limit guessed at a later event (a permit released as a signal taken for the limit: a
     * false permit-leak). An idle semaphore seen again starts a ledger from its state then, which
     * is exact. The sweep runs at most once per eighth of the table made anew.
     */
    private boolean semaphoreRoom() {
        if (semaphores.hasRoom(MAX_SEMAPHORES)) {
            ledgersSinceSweep++;
            return true;
        }
        if (ledgersSinceSweep < MAX_SEMAPHORES / 8) {
            return false;
        }
        ledgersSinceSweep = 0;
        for (Map.Entry<Object, PermitLedger> e : semaphores.entries()) {
            if (e.getValue().idle()) {
                semaphores.remove(e.getKey());
                semaphoresForgotten.incrementAndGet();
            }
        }
        return semaphores.size() < MAX_SEMAPHORES;
    }

    static String label(Object o) {
        return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
    }

    PermitLedger ledgerOf(Object semaphore) {
        return semaphore == null ? null : semaphores.get(semaphore);
    }

    /**
     * {@code new Semaphore(n)} in application code: the ledger starts with the exact limit and the
     * creation site. (A semaphore first seen at an acquire or release gets its limit from the
     * permits available then, which concurrent first uses can make too low.)
     */
    @Override
    public void semaphoreCreated(Object semaphore, String site) {
        // The ledgers of collected semaphores go now (a poll of the reference queue): Jetty makes a
        // semaphore per reserved thread, thousands a second under load, and between two sweeps the
        // table filled with dead ones; a live semaphore then went untracked at its creation, and
        // its ledger, made at a later event, took a permit released by then for its limit (a
        // false permit-leak on a signal semaphore).
        semaphores.expunge();
        if (semaphore instanceof Semaphore s && semaphores.get(s) == null && semaphoreRoom()) {
            PermitLedger l = new PermitLedger(label(s), SemaphoreFacts.available(s), null, ledgerSeq.incrementAndGet());
            l.createdSite = site;
            semaphores.putIfAbsent(s, l);
        }
    }

    // ---------------------------------------------------------------- latches

    @Override
    public void countedDown(Object latch, String site) {
        LatchRecord r = recordOf(latches, latch, latchesDropped, LatchRecord::new);
        if (r != null) {
            r.countedDown(Thread.currentThread(), site);
        }
    }

    /** The record of {@code key} in {@code map}, made on first sight; null (counted) when the map is full. */
    private static <R> R recordOf(WeakIdentityMap<R> map, Object key, AtomicLong dropped,
                                  java.util.function.Supplier<R> fresh) {
        R r = map.get(key);
        if (r != null) {
            return r;
        }
        if (!map.hasRoom(MAX_LATCHES)) {
            dropped.incrementAndGet();
            return null;
        }
        R made = fresh.get();
        R prior = map.putIfAbsent(key, made);
        return prior == null ? made : prior;
    }

    LatchRecord latchOf(Object latch) {
        return latch == null ? null : latches.get(latch);
    }

    /**
     * {@code new CountDownLatch(n)} (or {@code new Phaser(...)}) in application code: a latch
     * remembers its creating thread, so that the threads that thread starts next can be shown as
     * the latch's likely workers.
     */
    @Override
    public void synchronizerCreated(Object synchronizer, String site) {
        if (synchronizer instanceof java.util.concurrent.CountDownLatch) {
            Thread t = Thread.currentThread();
            recordOf(latches, synchronizer, latchesDropped,
                    () -> new LatchRecord(ThreadFacts.id(t), ThreadFacts.name(t), site));
        }
    }

    // ---------------------------------------------------------------- phasers

    @Override
    public void phaserEvent(Object phaser, int event, int phase, int parties, String site) {
        PhaserRecord r = recordOf(phasers, phaser, phasersDropped, PhaserRecord::new);
        if (r != null) {
            r.event(Thread.currentThread(), event, phase, parties, site);
        }
    }

    PhaserRecord phaserOf(Object phaser) {
        return phaser == null ? null : phasers.get(phaser);
    }

    // ---------------------------------------------------------------- waits

    @Override
    public Object waitStarting(Object on, int primitive, String site) {
        if (waits.size() >= MAX_WAITS) {
            waitsDropped.incrementAndGet();
            return null;
        }
        long now = clock.getAsLong();
        if (primitive == MONITOR || primitive == MONITOR_TIMED) {
            monitorNotifiers.waitStarted(on, now);
        }
        WaitRecord r = new WaitRecord(Thread.currentThread(), on, primitive, site, now, System.nanoTime());
        waits.add(r);
        return r;
    }

    @Override
    public void notified(Object monitor, String site) {
        monitorNotifiers.notified(monitor, site, coarseNow);
    }

    @Override
    public void waitEnded(Object token) {
        WaitRecord r = (WaitRecord) token;
        r.endMillis = Math.max(1, clock.getAsLong());
        waits.remove(r);
        if (r.primitive == MONITOR || r.primitive == MONITOR_TIMED) {
            monitorNotifiers.waitEnded(r.on.get());
        }
        long threshold = longWaitNanos;
        if (!r.reported && threshold > 0 && System.nanoTime() - r.startNanos >= threshold) {
            // The watch did not look while this wait lasted (a busy machine): report it now, from
            // the waiting thread itself, whose stack is still the one it waited in.
            java.util.function.Consumer<WaitRecord> late = onLongWaitEnded;
            if (late != null) {
                late.accept(r);
            }
        }
    }

    private volatile long longWaitNanos;
    private volatile java.util.function.Consumer<WaitRecord> onLongWaitEnded;

    /** Waits of {@code thresholdMillis} or more that end before the watch saw them go to {@code late}. */
    void onLongWaitEnded(long thresholdMillis, java.util.function.Consumer<WaitRecord> late) {
        this.longWaitNanos = thresholdMillis * 1_000_000L;
        this.onLongWaitEnded = late;
    }

    /** True when {@code semaphore} has a ledger (for the self-test). */
    public boolean tracks(Object semaphore) {
        return ledgerOf(semaphore) != null;
    }

    /** Count-downs seen on {@code latch} (for the self-test). */
    public long countDowns(Object latch) {
        LatchRecord r = latchOf(latch);
        return r == null ? 0 : r.countDowns;
    }

    /** Forgets a semaphore or latch at once (the agent's own start-up probes: never in a report). */
    public void forget(Object semaphoreOrLatch) {
        Object o = VigilHooks.currentSlot().permits;
        if (o != null && ((PermitCache) o).semaphore.get() == semaphoreOrLatch) {
            detach((PermitCache) o);
        }
        semaphores.remove(semaphoreOrLatch);
        latches.remove(semaphoreOrLatch);
        phasers.remove(semaphoreOrLatch);
    }

    /** Forgets the ledgers of collected semaphores and latches. */
    void sweep() {
        coarseNow = clock.getAsLong();
        semaphores.drainCollected();
        latches.drainCollected();
        phasers.drainCollected();
    }

    long now() {
        return clock.getAsLong();
    }

    static final int MAX_LISTED = 1000;

    /** The report's semaphore table: reachable semaphores, first seen first, at most {@link #MAX_LISTED}. */
    public List<SemaphoreSummary> summaries() {
        List<Map.Entry<Object, PermitLedger>> all = semaphores.entries();
        all.sort(java.util.Comparator.comparingLong(e -> e.getValue().seq));
        List<SemaphoreSummary> out = new ArrayList<>();
        for (Map.Entry<Object, PermitLedger> e : all) {
            if (out.size() == MAX_LISTED) {
                break;
            }
            Semaphore s = (Semaphore) e.getKey();
            PermitLedger l = e.getValue();
            long[] counts = l.counts();
            long acquisitions = counts[0];
            long releases = counts[1];
            long over;
            synchronized (l) {
                over = l.overReleases;
            }
            out.add(new SemaphoreSummary(l.label, location(l.firstSite), l.limit, SemaphoreFacts.available(s), l.held(),
                    l.heldByEnded(), SemaphoreFacts.queueLength(s), acquisitions, releases, over, location(l.createdSite)));
        }
        semaphoresNotListed = Math.max(0, all.size() - MAX_LISTED);
        return out;
    }

    /** {@code File.java:N} of a site constant. */
    static String location(String site) {
        SiteRef ref = site == null ? null : SiteRef.parse(site);
        if (ref == null) {
            return null;
        }
        String outer = ref.className().contains("$")
                ? ref.className().substring(0, ref.className().indexOf('$')) : ref.className();
        return outer.substring(outer.lastIndexOf('.') + 1) + ".java" + (ref.line() > 0 ? ":" + ref.line() : "");
    }

    /** What was dropped to stay bounded ({@code agent.truncated}). */
    public Map<String, Long> truncated() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("semaphoresNotTracked", semaphoresDropped.get());
        m.put("idleSemaphoresForgotten", semaphoresForgotten.get());
        m.put("latchesNotTracked", latchesDropped.get());
        m.put("phasersNotTracked", phasersDropped.get());
        m.put("waitsNotWatched", waitsDropped.get());
        m.put("monitorsNotWatched", monitorNotifiers.notWatched());
        m.put("permitsNotAttributed", permitsUnattributed.get());
        m.put("semaphoresNotListed", semaphoresNotListed);
        return m;
    }
}
