package dev.vigil.agent.threads;

import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.bootstrap.ThreadSlot;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual threads (JDK 21+), Java's goroutines, aggregated by the site that started them: a
 * program may start millions, so nothing is kept of one once it has ended. Each start site counts
 * the threads started there, alive now and alive at most at once ({@link StartSite}); a live
 * thread is known (weakly) with its site until it ends, up to {@link #MAX_LIVE} at once (more are
 * counted in {@code virtualThreadsNotTracked}, not followed).
 *
 * <p>The start site is found without walking the stack when the start has a cheaper key: the
 * site constant of the application's executor call it is made in, or the class of the lambda the
 * thread runs ({@link #siteOfStart}); else a short walk to the first frame outside the JDK and
 * Vigil (class, method, bytecode index) keys a cache of sites. The whole stack is captured once
 * per key (so starts from one line reached through different callers count as the first
 * caller's site).
 */
final class VirtualThreads {

    static final int MAX_LIVE = 100_000;
    static final int MAX_SITES = 4_096;
    /** The JDK's frames above a start (VirtualThread, Thread or a builder, an executor) fit in the first batch. */
    private static final StackWalker WALKER = StackWalker.getInstance(java.util.Set.of(), 8);

    private static final int SITE_KEY_DEPTH = 8;

    private final StackFrames stacks;
    /**
     * By site key ({@code StackFrames.siteKey}): apart from the platform threads' sites, whose
     * counts the JDK's own threads started under the same application frame (the virtual threads'
     * carriers, started by the first virtual thread's start) would mix in.
     */
    private final ConcurrentHashMap<String, StartSite> sites = new ConcurrentHashMap<>();
    private final WeakIdentityMap<StartSite> live = new WeakIdentityMap<>();
    private final ConcurrentHashMap<String, StartSite> byQuickKey = new ConcurrentHashMap<>();
    private final AtomicLong notTracked = new AtomicLong();
    private final AtomicLong sitesTruncated = new AtomicLong();

    VirtualThreads(StackFrames stacks) {
        this.stacks = stacks;
    }

    /** {@code thread} (virtual) is about to start; on the starting thread. */
    void starting(Thread thread) {
        ThreadSlot slot = VigilHooks.currentSlot();
        if (slot.executorStart) {
            slot.executorStart = false;
            return; // a tracked thread-per-task executor's: its task is followed, the executor's findings say the rest
        }
        if (live.get(thread) != null) {
            return;
        }
        if (!live.hasRoom(MAX_LIVE)) {
            notTracked.incrementAndGet();
            return;
        }
        StartSite site = siteOfStart(slot, thread);
        if (site == null || site == NONE) {
            return; // started by the JDK itself, no application frame: not the program's to stop
        }
        if (live.putIfAbsent(thread, site) == null) {
            site.opened();
        }
    }

    void startFailed(Thread thread) {
        ended(thread);
    }

    /** {@code thread} (virtual) has run its task to the end; on its carrier. */
    void ended(Thread thread) {
        StartSite site = live.remove(thread);
        if (site != null) {
            site.closed();
        }
    }

    /** The application's start sites with live virtual threads, and a few of those threads each. */
    Map<StartSite, List<Thread>> liveBySite(int samplesPerSite) {
        for (StartSite collected : live.drainCollected()) {
            collected.closed(); // unreachable while parked: it will never run again
        }
        Map<StartSite, List<Thread>> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<Object, StartSite> e : live.entries()) {
            if (e.getKey() instanceof Thread t && t.isAlive()) {
                List<Thread> samples = out.computeIfAbsent(e.getValue(), s -> new ArrayList<>());
                if (samples.size() < samplesPerSite) {
                    samples.add(t);
                }
            }
        }
        return out;
    }

    long notTracked() {
        return notTracked.get();
    }

    /** Starts at a new site while {@link #MAX_SITES} were known: not followed (in {@code threadStartSitesTruncated}). */
    long sitesTruncated() {
        return sitesTruncated.get();
    }

    /** Cached for starts whose site has no application frame (or came when the site table was full). */
    private static final StartSite NONE = new StartSite("(none)", StackFrames.site("virtual thread start", List.of()));

    /** By the site constant of the application's executor call the start happens in. */
    private final ConcurrentHashMap<String, StartSite> byCallSite = new ConcurrentHashMap<>();

    /**
     * By the class of a lambda or method reference the thread runs: each such expression has a
     * class of its own (a hidden class spun for its call site), so the class is the site, kept
     * with the class (no class kept alive).
     */
    private final ClassValue<StartSite> byTaskClass = new ClassValue<>() {
        @Override
        protected StartSite computeValue(Class<?> type) {
            StartSite s = capture();
            return s == null ? NONE : s;
        }
    };

    /**
     * Where {@code thread} is being started, found without a stack walk when possible: inside an
     * application's executor call (a thread-per-task executor's {@code submit}), by that call's
     * site constant; for a lambda or method reference, by its class (noted when the thread was
     * constructed, on this thread); else by a short walk ({@link #siteOfCaller}).
     */
    private StartSite siteOfStart(ThreadSlot slot, Thread thread) {
        Class<?> task = slot.newVirtualHash == System.identityHashCode(thread) ? slot.newVirtualTask : null;
        slot.newVirtualTask = null;
        String call = slot.submitSite;
        if (call != null) {
            StartSite s = byCallSite.get(call);
            if (s == null) {
                StartSite made = capture();
                s = made == null ? NONE : made;
                if (byCallSite.size() < MAX_SITES) {
                    byCallSite.putIfAbsent(call, s);
                }
            }
            return s;
        }
        if (task != null && task.isHidden()) {
            return byTaskClass.get(task);
        }
        return siteOfCaller();
    }

    /**
     * The first frame outside the JDK and Vigil, as class, method and bytecode index; "" when
     * there is none. Cheap next to a stack trace: no line numbers, no {@code StackTraceElement}.
     */
    private static String quickKey(java.util.stream.Stream<StackWalker.StackFrame> frames) {
        java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            String c = f.getClassName();
            if (!PackageFilter.isPlatform(c)) {
                return c + '#' + f.getMethodName() + '@' + f.getByteCodeIndex();
            }
        }
        return "";
    }

    /** The start site of the caller, or null when no frame of it is the application's. */
    private StartSite siteOfCaller() {
        String key = WALKER.walk(VirtualThreads::quickKey);
        if (key.isEmpty()) {
            return null;
        }
        StartSite site = byQuickKey.get(key);
        if (site != null) {
            return site;
        }
        StartSite made = capture();
        if (made == null || byQuickKey.size() >= MAX_SITES) {
            return made;
        }
        StartSite prior = byQuickKey.putIfAbsent(key, made);
        return prior == null ? made : prior;
    }

    /** The site of the start going on now, from the whole stack; null without an application frame or room. */
    private StartSite capture() {
        List<Frame> frames = stacks.callerStack(new Throwable().getStackTrace(), "java.lang.VirtualThread", "start");
        if (StackFrames.firstApplicationFrame(frames) == null) {
            return null;
        }
        String key = StackFrames.siteKey(frames, SITE_KEY_DEPTH);
        StartSite site = sites.get(key);
        if (site != null) {
            return site;
        }
        if (sites.size() >= MAX_SITES) {
            sitesTruncated.incrementAndGet();
            return null;
        }
        return sites.computeIfAbsent(key, k -> new StartSite(k, StackFrames.site("virtual thread start", frames)));
    }
}
