package dev.vigil.agent.threads;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.jfr.LowLevelEvents;
import dev.vigil.agent.util.MemoryGovernor;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.ThreadListener;
import dev.vigil.report.model.Frame;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The lifetime of every platform thread started while Vigil runs: who started it, where, when it
 * ended. Receives events from the {@code Thread.start()} and {@code Thread.exit()} hooks, and from
 * the virtual threads' start and end, which are counted by start site ({@link VirtualThreads}).
 *
 * <p>Memory is bounded: live threads are as many as the JVM has; ended threads are kept up to
 * {@link #MAX_ENDED} (older ones are forgotten and counted), start sites up to {@link #MAX_SITES}
 * (further sites share one overflow site and are counted).
 */
public final class ThreadLedger implements ThreadListener {

    public static final int MAX_ENDED = 10_000;
    public static final int MAX_SITES = 4_096;
    private static final int SITE_KEY_DEPTH = 8;

    private final StackFrames stacks;
    private final int growthLimit;
    private final LongSupplier clock;
    private final ConcurrentHashMap<Long, ThreadEntry> live = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, StartSite> sites = new ConcurrentHashMap<>();
    private final ArrayDeque<ThreadEntry> ended = new ArrayDeque<>();
    private final AtomicLong endedForgotten = new AtomicLong();
    private final AtomicLong sitesTruncated = new AtomicLong();
    private final StartSite overflowSite;
    private final VirtualThreads virtual;

    private final CopyOnWriteArrayList<Consumer<Thread>> endListeners =
            new CopyOnWriteArrayList<>();

    private volatile Thread selfTestThread;
    private volatile boolean selfTestStarted;
    private volatile boolean selfTestExited;

    public ThreadLedger(StackFrames stacks, int growthLimit, LongSupplier clock) {
        this.stacks = stacks;
        this.growthLimit = growthLimit;
        this.clock = clock;
        this.overflowSite = new StartSite("(sites truncated)",
                StackFrames.site("thread start (site table full)", List.of()));
        this.virtual = new VirtualThreads(stacks);
    }

    /**
     * Live virtual threads of the application by start site, with up to {@code samples} of them
     * each (virtual threads are counted by site, not recorded one by one: {@link VirtualThreads}).
     */
    public Map<StartSite, List<Thread>> liveVirtualBySite(int samples) {
        return virtual.liveBySite(samples);
    }

    /** Records the threads that were alive before Vigil was installed. */
    public void recordPreExisting(Collection<Thread> threads) {
        for (Thread t : threads) {
            if (t.isAlive() && !ThreadFacts.isVirtual(t)) {
                live.putIfAbsent(ThreadFacts.id(t), new ThreadEntry(t, ThreadOrigin.PRE_EXISTING, null, null, 0));
            }
        }
    }

    /** Records one of Vigil's own threads; called before it starts, from inside the agent. */
    public void recordAgentThread(Thread t) {
        live.put(ThreadFacts.id(t), new ThreadEntry(t, ThreadOrigin.VIGIL, Thread.currentThread(), null, clock.getAsLong()));
    }

    // ------------------------------------------------------------------ hook events

    @Override
    public void starting(Thread parent, Thread thread) {
        if (thread == selfTestThread) {
            selfTestStarted = true;
            return;
        }
        if (ThreadFacts.isVirtual(thread)) {
            firstApplicationThread();
            virtual.starting(thread);
            return;
        }
        if (live.containsKey(ThreadFacts.id(thread))) {
            // Already recorded: on JDK 21+ Thread.start() calls the hooked Thread.start(ThreadContainer),
            // so a plain start fires twice; the stack is captured once.
            return;
        }
        List<Frame> frames = stacks.callerStack(new Throwable().getStackTrace(), "java.lang.Thread", "start");
        StartSite site = site(frames);
        ThreadOrigin origin = originOf(thread, frames);
        if (origin == ThreadOrigin.APPLICATION) {
            firstApplicationThread();
        }
        ThreadEntry entry = new ThreadEntry(thread, origin, parent, site, clock.getAsLong(), startedByPool(frames));
        if (live.putIfAbsent(ThreadFacts.id(thread), entry) == null) {
            site.opened();
            LowLevelEvents.threadStarted(thread, parent, origin.label(), site.site().location());
        }
    }

    private volatile Runnable onFirstApplicationThread;

    /** Runs {@code r} once, when the program starts its first thread of its own (the lock graph's set-up ends). */
    public void onFirstApplicationThread(Runnable r) {
        this.onFirstApplicationThread = r;
    }

    private void firstApplicationThread() {
        Runnable r = onFirstApplicationThread;
        if (r != null) {
            onFirstApplicationThread = null;
            r.run();
        }
    }

    @Override
    public void startFailed(Thread thread) {
        if (ThreadFacts.isVirtual(thread)) {
            virtual.startFailed(thread);
            return;
        }
        ThreadEntry e = live.get(ThreadFacts.id(thread));
        if (e != null && e.thread() == thread && !thread.isAlive() && live.remove(ThreadFacts.id(thread), e)) {
            if (e.startSite() != null) {
                e.startSite().closed();
            }
        }
    }

    @Override
    public void exiting(Thread thread) {
        if (thread == selfTestThread) {
            selfTestExited = true;
            return;
        }
        if (ThreadFacts.isVirtual(thread)) {
            virtual.ended(thread); // on its carrier: the end listeners ran on the thread itself (virtualRunEnded)
            return;
        }
        ThreadEntry e = live.remove(ThreadFacts.id(thread));
        if (e != null) {
            retire(e);
            LowLevelEvents.threadEnded(thread);
        }
        tellEnd(thread);
    }

    @Override
    public void virtualRunEnded(Thread thread) {
        if (thread != selfTestThread) {
            tellEnd(thread);
        }
    }

    private void tellEnd(Thread thread) {
        for (Consumer<Thread> l : endListeners) {
            l.accept(thread);
        }
    }

    /**
     * Called on every ending thread (tracked or not, agent threads excepted), on that thread, inside
     * the hook's re-entry guard: must be quick, must not block, must not throw. A virtual thread
     * is told once its task is done, while still mounted (JDK 22+; on JDK 21 not at all).
     */
    public void onThreadEnd(Consumer<Thread> listener) {
        endListeners.add(listener);
    }

    private void retire(ThreadEntry e) {
        e.ended(clock.getAsLong());
        if (e.startSite() != null) {
            e.startSite().closed();
        }
        MemoryGovernor g = governor;
        int cap = g == null ? MAX_ENDED : g.capFor(ENDED_BYTES, MAX_ENDED);
        synchronized (ended) {
            while (ended.size() >= cap) {
                ended.pollFirst();
                endedForgotten.incrementAndGet();
            }
            ended.addLast(e);
        }
    }

    /** Forgets about {@code bytes} worth of the oldest ended threads (counted as forgotten). */
    private long forgetOldestEnded(long bytes) {
        long n = 0;
        synchronized (ended) {
            while (n * ENDED_BYTES < bytes && ended.pollFirst() != null) {
                n++;
            }
        }
        endedForgotten.addAndGet(n);
        return n;
    }

    /** Estimated bytes of an ended thread's entry (its name, times, weak reference; the site is shared). */
    static final int ENDED_BYTES = 200;

    private volatile MemoryGovernor governor;

    /** Caps the ended threads by {@code g}'s budget and lets it forget the oldest (counted as forgotten). */
    public void governedBy(MemoryGovernor g) {
        governor = g;
        g.register(MemoryGovernor.Store.of("endedThreads", () -> {
            synchronized (ended) {
                return (long) ended.size() * ENDED_BYTES;
            }
        }, this::forgetOldestEnded));
    }

    private StartSite site(List<Frame> frames) {
        String key = StackFrames.siteKey(frames, SITE_KEY_DEPTH);
        StartSite s = sites.get(key);
        if (s != null) {
            return s;
        }
        if (sites.size() >= MAX_SITES) {
            sitesTruncated.incrementAndGet();
            return overflowSite;
        }
        return sites.computeIfAbsent(key, k -> new StartSite(k, StackFrames.site("thread start", frames)));
    }

    /** Started by a pool's own code (directly, or through a JDK 21+ thread container). */
    private static boolean startedByPool(List<Frame> frames) {
        for (int i = 0; i < Math.min(frames.size(), 6); i++) {
            Frame f = frames.get(i);
            if (f.className().equals("java.util.concurrent.ThreadPoolExecutor") && f.method().equals("addWorker")
                    || f.className().startsWith("java.util.concurrent.ForkJoinPool")) {
                return true;
            }
            if (f.app()) {
                return false;
            }
        }
        return false;
    }

    private static ThreadOrigin originOf(Thread thread, List<Frame> frames) {
        if (StackFrames.firstApplicationFrame(frames) == null || JdkThreads.startedByJdk(thread, frames)) {
            return ThreadOrigin.JDK;
        }
        // The common pool is the JDK's: its workers outlive any caller by design.
        if (thread instanceof ForkJoinWorkerThread w && ThreadFacts.pool(w) == ForkJoinPool.commonPool()) {
            return ThreadOrigin.JDK;
        }
        return ThreadOrigin.APPLICATION;
    }


    // ------------------------------------------------------------------ queries

    /**
     * Tracked threads still alive. Threads whose exit the hook missed (collected, or terminated
     * without {@code Thread.exit()}) are retired here.
     */
    public List<ThreadEntry> live() {
        List<ThreadEntry> out = new ArrayList<>(live.size());
        for (ThreadEntry e : live.values()) {
            Thread t = e.thread();
            if (t == null || ThreadFacts.state(t) == Thread.State.TERMINATED) {
                if (live.remove(e.id(), e)) {
                    retire(e);
                }
            } else {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Starts a new scope: every thread alive now is left out of findings from here on, as if it
     * had been alive before Vigil started. Returns how many live application threads left scope.
     */
    public int resetScope() {
        int n = 0;
        for (ThreadEntry e : live()) {
            if (e.inScope() && e.origin() == ThreadOrigin.APPLICATION) {
                n++;
            }
            e.leaveScope();
        }
        return n;
    }

    /** The live tracked entry for this thread id, or null. */
    public ThreadEntry entry(long id) {
        return live.get(id);
    }

    /** The live tracked thread with this id, or null. */
    /** The live thread's entry, or null (not tracked, or ended). */
    public ThreadEntry entry(Thread thread) {
        return live.get(ThreadFacts.id(thread));
    }

    public Thread find(long id) {
        ThreadEntry e = live.get(id);
        return e == null ? null : e.thread();
    }

    /**
     * At most {@code max} threads (alive or ended, not Vigil's own) started by thread {@code parentId}
     * after position {@code since} of the {@link StartOrder}, oldest first.
     */
    public List<ThreadEntry> startedBy(long parentId, long since, int max) {
        List<ThreadEntry> out = new ArrayList<>();
        for (List<ThreadEntry> group : List.of(ended(), live())) {
            for (ThreadEntry e : group) {
                if (e.parentId() == parentId && e.startOrder() > since
                        && (e.origin() == ThreadOrigin.APPLICATION || e.origin() == ThreadOrigin.JDK)) {
                    out.add(e);
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(ThreadEntry::startOrder));
        return out.size() > max ? new ArrayList<>(out.subList(0, max)) : out;
    }

    /** Ended threads, oldest first, at most {@link #MAX_ENDED}. */
    public List<ThreadEntry> ended() {
        synchronized (ended) {
            return new ArrayList<>(ended);
        }
    }

    public Collection<StartSite> sites() {
        return sites.values();
    }

    /** Live threads at one site at or above which the site counts as growing without bound. */
    public int growthLimit() {
        return growthLimit;
    }

    public long endedForgotten() {
        return endedForgotten.get();
    }

    /** Virtual threads started while {@link VirtualThreads#MAX_LIVE} were followed already. */
    public long virtualThreadsNotTracked() {
        return virtual.notTracked();
    }

    public long sitesTruncated() {
        return sitesTruncated.get() + virtual.sitesTruncated();
    }

    // ------------------------------------------------------------------ self-test

    public void expectSelfTest(Thread t) {
        selfTestThread = t;
    }

    public boolean selfTestStartSeen() {
        return selfTestStarted;
    }

    public boolean selfTestExitSeen() {
        return selfTestExited;
    }
}
