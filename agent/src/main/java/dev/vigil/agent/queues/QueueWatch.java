package dev.vigil.agent.queues;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.stack.SiteRef;
import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.PoolWorkers;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.QueueListener;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.QueueSummary;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Watches the queue ledger on the scheduler's thread (every {@value #CHECK_MILLIS} ms, or soon after a producer or consumer ends) and reports:
 * <ul>
 *   <li>{@code queue-orphan}: a producer blocked in put/offer/transfer while every consumer the
 *       queue ever had has ended; a consumer blocked in take/poll on an empty queue while every
 *       producer has ended (each seen on two checks in a row, after the call has blocked
 *       {@value #ORPHAN_CONFIRM_MILLIS} ms: a thread just woken is not an orphan); and, at exit, a
 *       queue whose consumers all ended and that was put to afterwards and still holds items.
 *       Written at once ({@code publishUrgent("queue-orphan")}).</li>
 *   <li>{@code stuck-wait} (primitive {@code queue}): a call blocked {@code stuckWait} or longer —
 *       a producer on a full queue always; a consumer only when every producer has ended (an idle
 *       consumer of a live pipeline is normal service behaviour).</li>
 *   <li>{@code queue-growth}: an unbounded queue holding at least {@value #GROWTH_MARK} items
 *       whose size rose on each of the last {@value QueueRecord#SAMPLES} samples
 *       ({@value #SAMPLE_MILLIS} ms apart).</li>
 * </ul>
 */
public final class QueueWatch implements Detector {

    public static final long CHECK_MILLIS = 250;
    static final long SAMPLE_MILLIS = 500;
    static final long ORPHAN_CONFIRM_MILLIS = 1000;
    static final int GROWTH_MARK = 10_000;
    static final int MAX_FINDINGS = 1000;
    /**
     * A consumer waits for ever only when its queue is fed by a pipeline stage: a queue that has had
     * more producer threads than this is fed by short-lived threads, and "all ended" proves nothing.
     */
    static final int MAX_STAGE_PRODUCERS = 3;

    private final QueueLedger ledger;
    private final StackFrames stacks;
    private final SiteFrames siteFrames;
    private final ThreadRefs threadRefs;
    private final long stuckWaitMillis;
    private final LongSupplier clock;
    private final AgentHealth health;
    private final List<Incident> incidents = new CopyOnWriteArrayList<>();
    private volatile Runnable waker = () -> { };
    private volatile PoolWorkers poolWorkers = PoolWorkers.none();
    private long lastSample;
    private long findingsDropped;

    private LongSupplier shutdownStartedMillis = () -> 0;

    /** When the JVM began to shut down (0 while it runs): the other side ending after that is no orphan. */
    public void shutdownStartedAt(LongSupplier millis) {
        this.shutdownStartedMillis = millis;
    }

    public QueueWatch(QueueLedger ledger, StackFrames stacks, ThreadRefs threadRefs, long stuckWaitMillis,
                      LongSupplier clock, AgentHealth health) {
        this.ledger = ledger;
        this.stacks = stacks;
        this.siteFrames = new SiteFrames(stacks);
        this.threadRefs = threadRefs;
        this.stuckWaitMillis = stuckWaitMillis;
        this.clock = clock;
        this.health = health;
        ledger.onPartyEnded(this::wake);
    }

    /** A producer or consumer ended: check soon. Never blocks. */
    void wake() {
        waker.run();
    }

    /** What makes the scheduler run {@link #tick} soon (every {@value #CHECK_MILLIS} ms otherwise). */
    public void wakeWith(Runnable waker) {
        this.waker = waker;
    }

    /** One look, on the scheduler's thread: the trigger of an urgent report, or null. */
    public String tick() {
        return check(false);
    }

    /**
     * Looks at every blocked queue call and samples queue sizes. Returns the trigger of an urgent
     * report when something new was found that cannot wait, else null.
     */
    synchronized String check(boolean exiting) {
        long now = clock.getAsLong();
        long nanos = System.nanoTime();
        String urgent = null;
        for (QueueThread t : ledger.threads()) {
            Party p = t.waitParty;
            if (p == null) {
                continue;
            }
            long seq = t.waitSeq;
            String site = t.waitSite;
            long waited = TimeUnit.NANOSECONDS.toMillis(nanos - t.waitStartNanos);
            if (t.waitParty != p || t.waitSeq != seq) {
                continue; // the call ended (or another began) while we read it
            }
            QueueRecord r = p.queue;
            Object q = r.queue.get();
            if (q == null) {
                continue;
            }
            int other = p.role == QueueListener.PUT ? QueueListener.TAKE : QueueListener.PUT;
            boolean othersGone = r.allEnded(other);
            if (p.role == QueueListener.TAKE && r.parties(QueueListener.PUT).size() > MAX_STAGE_PRODUCERS) {
                // Fed by many short-lived threads (a thread per request): another may come at any time.
                othersGone = false;
            }
            if (othersGone && p.role == QueueListener.TAKE && waited >= (stuckWaitMillis > 0 ? Math.min(ORPHAN_CONFIRM_MILLIS, stuckWaitMillis) : ORPHAN_CONFIRM_MILLIS)
                    && idleWorker(t, seq)) {
                othersGone = false; // a pool's worker waiting for its next task: the pool's lifetime is the executor's
            }
            // The other side ending once the JVM shuts down is the application closing in order
            // (a server stops its acceptors before its workers drain), neither an orphan nor a
            // stuck consumer: Tomcat's poller ends at SIGTERM while its idle workers still wait
            // on their task queue.
            long shutdownStarted = shutdownStartedMillis.getAsLong();
            othersGone = othersGone && (shutdownStarted == 0 || r.lastEndedMillis(other) < shutdownStarted);
            boolean orphan = othersGone && waited >= ORPHAN_CONFIRM_MILLIS
                    && (p.role == QueueListener.PUT || r.size() == 0);
            if (orphan && !r.orphanReported) {
                if (t.suspectSeq == seq) {
                    r.orphanReported = true;
                    add(new Incident(FindingKinds.QUEUE_ORPHAN, t, p, seq, site, now - waited, q));
                    urgent = FindingKinds.QUEUE_ORPHAN;
                } else {
                    t.suspectSeq = seq;
                }
            }
            // A consumer is stuck only on an empty queue whose producers all ended, seen so on two
            // looks while the program runs: the last item put as its producer ended wakes it, and
            // a take that has just returned (its end not yet told) must not pass for a stuck one.
            boolean stuck = stuckWaitMillis > 0 && waited >= stuckWaitMillis
                    && (p.role == QueueListener.PUT || othersGone && r.size() == 0);
            if (stuck && t.stuckSeq != seq && p.role == QueueListener.TAKE && !exiting && t.stuckSuspectSeq != seq) {
                t.stuckSuspectSeq = seq;
                stuck = false;
            }
            if (stuck && t.stuckSeq != seq) {
                t.stuckSeq = seq;
                add(new Incident(FindingKinds.STUCK_WAIT, t, p, seq, site, now - waited, q));
                if (urgent == null) {
                    urgent = FindingKinds.STUCK_WAIT;
                }
            }
        }
        if (exiting || now - lastSample >= SAMPLE_MILLIS) {
            lastSample = now;
            sample(exiting);
        }
        return urgent;
    }

    /** Whether the consumer call {@code seq} of {@code t} is a pool's worker waiting for work (its stack, read once per call). */
    private boolean idleWorker(QueueThread t, long seq) {
        if (t.idleSeq != seq) {
            Thread thread = t.thread.get();
            t.idle = thread != null && poolWorkers.waitingForWork(stacks.frames(ThreadFacts.stack(thread), 0));
            t.idleSeq = seq;
        }
        return t.idle;
    }

    /** Tells a pool's idle worker from an orphaned consumer. */
    public void poolWorkers(PoolWorkers workers) {
        this.poolWorkers = workers;
    }

    private void sample(boolean exiting) {
        for (Map.Entry<Object, QueueRecord> e : ledger.queues()) {
            QueueRecord r = e.getValue();
            Object q = e.getKey();
            int size = r.size();
            if (size > r.highWater) {
                r.highWater = size;
            }
            if (!exiting) {
                if (r.sampleCount == QueueRecord.SAMPLES) {
                    System.arraycopy(r.samples, 1, r.samples, 0, QueueRecord.SAMPLES - 1);
                    r.sampleCount--;
                }
                r.samples[r.sampleCount++] = size;
                if (!r.growthReported && r.unbounded() && size >= GROWTH_MARK && rising(r)) {
                    r.growthReported = true;
                    add(new Incident(FindingKinds.QUEUE_GROWTH, null, null, 0, null, 0, q).growth(r));
                }
            }
            if (exiting && !r.orphanReported && r.consumersGoneMillis != 0 && size > 0
                    && r.operations(QueueListener.PUT) > r.putsWhenConsumersGone) {
                r.orphanReported = true;
                add(new Incident(FindingKinds.QUEUE_ORPHAN, null, null, 0, null, 0, q).leftOver(r));
            }
        }
    }

    private static boolean rising(QueueRecord r) {
        if (r.sampleCount < QueueRecord.SAMPLES) {
            return false;
        }
        for (int i = 1; i < QueueRecord.SAMPLES; i++) {
            if (r.samples[i] <= r.samples[i - 1]) {
                return false;
            }
        }
        return true;
    }

    private void add(Incident i) {
        if (incidents.size() >= MAX_FINDINGS) {
            findingsDropped++;
            return;
        }
        i.capture();
        incidents.add(i);
    }

    public Map<String, Long> truncated() {
        Map<String, Long> m = new LinkedHashMap<>(ledger.truncated());
        m.put("queueFindingsDropped", findingsDropped);
        return m;
    }

    // ---------------------------------------------------------------- findings

    @Override
    public List<Finding> findings(Phase phase) {
        if (phase == Phase.EXITING) {
            check(true);
        }
        List<Finding> out = new ArrayList<>();
        for (Incident i : incidents) {
            try {
                out.add(i.finding());
            } catch (RuntimeException e) {
                health.error("queue finding", e);
            }
        }
        return out;
    }

    /** What was found so far is dropped, and the waits and queues seen so far are never reported. */
    @Override
    public synchronized void resetScope() {
        incidents.clear();
        for (QueueThread t : ledger.threads()) {
            t.stuckSeq = t.waitSeq;
            t.suspectSeq = -1;
        }
        for (Map.Entry<Object, QueueRecord> e : ledger.queues()) {
            e.getValue().orphanReported = true;
            e.getValue().growthReported = true;
        }
    }

    /** The report's queues table: every tracked queue still reachable. */
    public List<QueueSummary> summaries() {
        List<QueueSummary> out = new ArrayList<>();
        boolean entered = VigilHooks.enter();
        try {
            for (Map.Entry<Object, QueueRecord> e : ledger.queues()) {
                QueueRecord r = e.getValue();
                int size = r.size();
                out.add(new QueueSummary(r.id, r.type, location(r.createdSite),
                        r.createdSite == null ? location(r.firstSite) : null,
                        r.unbounded() ? null : r.capacity, size, Math.max(size, r.highWater),
                        r.operations(QueueListener.PUT), r.operations(QueueListener.TAKE),
                        parties(r.parties(QueueListener.PUT)), parties(r.parties(QueueListener.TAKE))));
            }
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    private List<QueueSummary.Party> parties(List<Party> list) {
        List<QueueSummary.Party> out = new ArrayList<>(list.size());
        for (Party p : list) {
            out.add(new QueueSummary.Party(p.threadId, p.threadName, p.alive(), location(p.firstSite)));
        }
        return out;
    }

    /** "Worker.java:42" for a site constant, or null. */
    private String location(String site) {
        if (site == null) {
            return null;
        }
        List<Frame> f = siteFrames.at(site, List.of());
        return f.isEmpty() ? null : f.get(0).location();
    }

    private static String siteKey(String site) {
        SiteRef ref = SiteRef.parse(site);
        return ref == null ? String.valueOf(site) : ref.className() + "." + ref.method() + ":" + ref.detail();
    }

    /** Something found, rendered into a finding at each report (its threads as they are then). */
    private final class Incident {
        final String kind;
        final QueueThread waiter;
        final Party party;
        final long seq;
        final String site;
        final long startMillis;
        final QueueRecord record;
        final String queueName;
        final long foundMillis;
        String reason;
        List<Frame> waitStack = List.of();
        String description;
        int[] samples;
        int highWater;

        Incident(String kind, QueueThread waiter, Party party, long seq, String site, long startMillis, Object q) {
            this.kind = kind;
            this.waiter = waiter;
            this.party = party;
            this.seq = seq;
            this.site = site;
            this.startMillis = startMillis;
            this.record = party != null ? party.queue : null;
            this.queueName = q.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(q));
            this.foundMillis = clock.getAsLong();
            this.description = party != null ? party.queue.describe(q) : null;
        }

        QueueRecord rec;

        Incident growth(QueueRecord r) {
            rec = r;
            reason = "growing";
            samples = r.samples.clone();
            highWater = r.highWater;
            description = r.describe(r.queue.get());
            return this;
        }

        Incident leftOver(QueueRecord r) {
            rec = r;
            reason = "consumers-ended";
            description = r.describe(r.queue.get());
            return this;
        }

        QueueRecord queueRecord() {
            return record != null ? record : rec;
        }

        /** The waiting thread's stack, taken once when found (it is blocked there now). */
        void capture() {
            if (waiter == null) {
                return;
            }
            Thread t = waiter.thread.get();
            if (t != null && t.isAlive()) {
                waitStack = siteFrames.at(site, stacks.frames(ThreadFacts.stack(t), 0));
            } else {
                waitStack = siteFrames.at(site, List.of());
            }
        }

        boolean ended() {
            return waiter != null && (waiter.waitSeq != seq || waiter.waitParty == null);
        }

        Finding finding() {
            QueueRecord r = queueRecord();
            int releaserRole = party == null ? QueueListener.TAKE
                    : party.role == QueueListener.PUT ? QueueListener.TAKE : QueueListener.PUT;
            List<Party> releasers = r.parties(releaserRole);
            List<Party> sameSide = r.parties(releaserRole == QueueListener.PUT ? QueueListener.TAKE : QueueListener.PUT);
            boolean releasersGone = r.allEnded(releaserRole);
            List<ThreadRef> threads = new ArrayList<>();
            if (party != null) {
                threads.add(ref(party));
            }
            List<Map<String, Object>> releaserList = new ArrayList<>();
            for (Party p : releasers) {
                threads.add(ref(p));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("thread", p.threadName);
                m.put("threadId", p.threadId);
                m.put("alive", p.alive());
                m.put("role", p.role == QueueListener.PUT ? "producer" : "consumer");
                releaserList.add(m);
            }
            List<Site> sites = new ArrayList<>();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("queue", queueName);
            d.put("queueType", r.type);
            if (!r.unbounded()) {
                d.put("capacity", r.capacity);
            }
            String created = location(r.createdSite);
            String title;
            String message;
            String howToFix;
            Severity severity;
            String fingerprintSite;
            switch (kind) {
                case FindingKinds.STUCK_WAIT -> {
                    boolean putter = party.role == QueueListener.PUT;
                    long waitedMillis = (ended() ? foundMillis : clock.getAsLong()) - startMillis;
                    severity = releasersGone || releasers.isEmpty() && !putter ? Severity.ERROR : Severity.WARNING;
                    sites.add(new Site("waiting at", waitStack.isEmpty() ? null : waitStack.get(0).location(), waitStack));
                    addCreated(sites, r);
                    for (Party p : releasers) {
                        sites.add(site((putter ? "consumer " : "producer ") + p.threadName + " took part at", p.lastSite));
                    }
                    d.put("primitive", "queue");
                    d.put("waitingOn", description);
                    d.put("waitingMillis", waitedMillis);
                    d.put("releasers", releaserList);
                    d.put("ended", ended());
                    title = "Thread " + party.threadName + " stuck " + (putter ? "putting to " : "taking from ") + queueName;
                    message = "Thread " + party.threadName + " has waited " + waitedMillis + " ms in "
                            + (putter ? "a put to " : "a take from ") + description + " at " + sites.get(0).location()
                            + ". " + (releasers.isEmpty() ? "No " + (putter ? "consumer" : "producer") + " of this queue was seen."
                            : (releasersGone ? "Every " : "Not every ") + (putter ? "consumer" : "producer")
                            + " of the queue has ended (" + names(releasers) + ").")
                            + (ended() ? " The wait has since ended." : "");
                    howToFix = putter
                            ? "A producer blocked on a full queue means the consumers are gone, stuck or too slow. "
                            + "Make consumers survive failures (catch per item), or give up: offer(e, timeout, unit)."
                            : "Every producer has ended without telling this consumer: send an end-of-stream marker "
                            + "in a finally block, or use poll(timeout, unit).";
                    fingerprintSite = siteKey(site);
                }
                case FindingKinds.QUEUE_ORPHAN -> {
                    severity = Severity.ERROR;
                    boolean consumersGone = party == null || party.role == QueueListener.PUT;
                    d.put("reason", consumersGone ? "consumers-ended" : "producers-ended");
                    d.put("size", r.size());
                    if (party != null) {
                        sites.add(new Site(consumersGone ? "producer blocked at" : "consumer waiting at",
                                waitStack.isEmpty() ? null : waitStack.get(0).location(), waitStack));
                        d.put("waitingMillis", (ended() ? foundMillis : clock.getAsLong()) - startMillis);
                        d.put("ended", ended());
                        fingerprintSite = siteKey(site);
                    } else {
                        List<Party> producers = r.parties(QueueListener.PUT);
                        String last = producers.isEmpty() ? null : producers.get(producers.size() - 1).lastSite;
                        sites.add(site("put after the consumers ended, at", last));
                        for (Party p : producers) {
                            threads.add(ref(p));
                        }
                        fingerprintSite = siteKey(last);
                    }
                    addCreated(sites, r);
                    for (Party p : releasers) {
                        sites.add(site((consumersGone ? "consumer " : "producer ") + p.threadName + " last used it at",
                                p.lastSite));
                    }
                    d.put(consumersGone ? "consumers" : "producers", releaserList);
                    d.put(consumersGone ? "producers" : "consumers", partyList(sameSide));
                    title = "Queue " + queueName + " orphaned: every " + (consumersGone ? "consumer" : "producer")
                            + " has ended";
                    message = consumersGone
                            ? "Every consumer of " + description + " has ended (" + names(releasers) + "), but "
                            + (party != null ? "producer " + party.threadName + " is blocked putting to it at "
                            + sites.get(0).location() + " and will wait for ever."
                            : "producers kept putting to it: its items will never be taken.")
                            : "Every producer of " + description + " has ended (" + names(releasers) + "), but consumer "
                            + party.threadName + " is waiting for more at " + sites.get(0).location()
                            + ": nothing will ever arrive.";
                    howToFix = consumersGone
                            ? "Only the consumer knows when it stops: keep it alive across failures (catch per item, "
                            + "as a Go worker recovers), or make producers stop when it is gone (offer with a timeout)."
                            : "The producer owns the end of the stream (in Go, only the sender closes a channel): "
                            + "put an end-of-stream marker in a finally block, on every path out of the producer.";
                }
                default -> {
                    severity = Severity.WARNING;
                    Party first = null;
                    for (Party p : r.parties(QueueListener.PUT)) {
                        if (first == null || p.operations > first.operations) {
                            first = p;
                        }
                        threads.add(ref(p));
                    }
                    for (Party p : r.parties(QueueListener.TAKE)) {
                        threads.add(ref(p));
                    }
                    if (r.createdSite != null) {
                        addCreated(sites, r);
                    }
                    if (first != null) {
                        sites.add(site("busiest producer puts at", first.lastSite));
                    }
                    if (sites.isEmpty()) {
                        sites.add(site("first used at", r.firstSite));
                    }
                    List<Integer> trend = new ArrayList<>();
                    for (int s : samples) {
                        trend.add(s);
                    }
                    d.put("highWaterMark", Math.max(highWater, r.highWater));
                    d.put("size", r.size());
                    d.put("trend", trend);
                    d.put("sampleMillis", SAMPLE_MILLIS);
                    d.put("rule", "unbounded, at least " + GROWTH_MARK + " items, rising on " + QueueRecord.SAMPLES
                            + " samples in a row");
                    title = "Unbounded queue " + queueName + " keeps growing";
                    message = description + " grew on every one of the last " + QueueRecord.SAMPLES + " samples "
                            + trend + " (" + SAMPLE_MILLIS + " ms apart), high-water mark " + d.get("highWaterMark")
                            + ": producers outpace consumers and memory will run out.";
                    howToFix = "Bound the queue (new ArrayBlockingQueue<>(n) or new LinkedBlockingQueue<>(n)) so "
                            + "producers feel back-pressure, or add consumers; a Go channel always has a capacity.";
                    fingerprintSite = siteKey(r.createdSite != null ? r.createdSite : r.firstSite);
                }
            }
            if (created != null) {
                d.put("createdAt", created);
            }
            return new Finding(kind, severity, Fingerprints.of(kind, fingerprintSite), title, message, howToFix,
                    threads, sites, d);
        }

        private void addCreated(List<Site> sites, QueueRecord r) {
            if (r.createdSite != null) {
                sites.add(site("queue created at", r.createdSite));
            }
        }

        private Site site(String role, String siteConstant) {
            List<Frame> f = siteConstant == null ? List.of() : siteFrames.at(siteConstant, List.of());
            return new Site(role, f.isEmpty() ? null : f.get(0).location(), f);
        }

        private ThreadRef ref(Party p) {
            Thread t = p.thread.get();
            return threadRefs.of(p.ended ? null : t, p.threadId, p.threadName, p.daemon);
        }

        private List<Map<String, Object>> partyList(List<Party> list) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Party p : list) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("thread", p.threadName);
                m.put("threadId", p.threadId);
                m.put("alive", p.alive());
                out.add(m);
            }
            return out;
        }

        private String names(List<Party> list) {
            StringBuilder sb = new StringBuilder();
            for (Party p : list) {
                sb.append(sb.length() == 0 ? "" : ", ").append(p.threadName).append(p.alive() ? " alive" : " ended");
            }
            return sb.toString();
        }
    }

    static String instant(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
