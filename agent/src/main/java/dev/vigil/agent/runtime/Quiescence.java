package dev.vigil.agent.runtime;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.agent.threads.ThreadOrigin;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * After {@code main} has returned and non-daemon threads keep the JVM alive: is the program a
 * service (or still working), or stuck? Elapsed time alone is no evidence of a hang: Spring Boot's
 * {@code main} returns once the server is up and Tomcat's non-daemon {@code container-0} keeps
 * the JVM alive on purpose. The program <em>cannot exit</em> only when, over {@link #SAMPLES}
 * consecutive samples, nothing in it can move (docs/lifecycle.md):
 * <ul>
 *   <li>every non-daemon application thread waits without a timeout or is blocked
 *       ({@code WAITING}, {@code BLOCKED}), in the same place (same stack), in the same wait: its
 *       JVM counts of waits and blocks ({@code ThreadInfo.getWaitedCount}/{@code getBlockedCount})
 *       do not change. A consumer woken for each item between two samples counts one more wait.
 *       CPU time is no measure: HotSpot's JDK 17 wakes a thread blocked on a monitor now and then
 *       to re-check it, and its CPU time grows while it stays blocked for ever;</li>
 *   <li>no application thread, daemon or not, is {@code RUNNABLE} (working, or serving: a thread
 *       in {@code accept()}, a selector or a socket read is {@code RUNNABLE});</li>
 *   <li>no non-daemon application thread is in a timed wait ({@code TIMED_WAITING}: a sleep or poll
 *       loop, a scheduler with work due, Tomcat's {@code container-0}) — it wakes by itself, a
 *       keep-alive, not a hang;</li>
 *   <li>no application thread started or ended during the window.</li>
 * </ul>
 * Daemon threads in waits are left out (a connection pool's housekeeper does not keep anyone
 * alive); threads of the JDK, of Vigil and those alive before Vigil are never looked at.
 * Not thread-safe: only the watchdog samples.
 */
public final class Quiescence {

    /** Consecutive samples (one per watchdog tick) with nothing moving before the program is stuck. */
    static final int SAMPLES = 10;

    /** What the last window showed. */
    public enum Verdict {
        /** No non-daemon application thread is alive: the JVM can exit. */
        NONE,
        /** Something runs, serves, wakes by itself, or moved: a service, or work still going on. */
        MOVING,
        /** Not yet {@link #SAMPLES} samples without movement. */
        UNDECIDED,
        /** Every non-daemon application thread waits for ever and nothing else moves. */
        STUCK
    }

    private final ThreadLedger ledger;
    /**
     * Set by {@link #managementReady} on the thread that registers Vigil's MBean, once it has: the
     * watchdog never initialises {@code java.lang.management} itself, concurrently with that
     * registration (class initialisation on two threads at once). Until then, no verdict.
     */
    private volatile ThreadMXBean threads;
    private final Map<Long, Still> window = new HashMap<>();
    private int samples;
    /** The application threads alive at the window's start (count and ids), to see one start or end. */
    private long population;

    public Quiescence(ThreadLedger ledger) {
        this.ledger = ledger;
    }

    /** Where a waiting thread was at the window's first sample. */
    private record Still(Thread thread, Thread.State state, long waits, StackTraceElement[] stack) {
    }

    /** The JVM's management is up (called once, after the MBean registration): wait counts can be read. */
    public void managementReady() {
        threads = ManagementFactory.getThreadMXBean();
    }

    /** Takes one sample and returns the verdict so far. */
    public Verdict sample() {
        if (threads == null) {
            return restart(Verdict.UNDECIDED);
        }
        List<ThreadEntry> live = ledger.live();
        int nonDaemon = 0;
        long alive = 0;
        Map<Long, Thread> waiting = new HashMap<>();
        for (ThreadEntry e : live) {
            if (e.origin() != ThreadOrigin.APPLICATION) {
                continue;
            }
            Thread t = e.thread();
            if (t == null) {
                continue;
            }
            alive += e.id() * 0x9E3779B97F4A7C15L + 1; // order-independent
            Thread.State state = ThreadFacts.state(t);
            if (state == Thread.State.RUNNABLE) {
                return restart(Verdict.MOVING);
            }
            if (t.isDaemon()) {
                continue;
            }
            if (state == Thread.State.TIMED_WAITING) {
                return restart(Verdict.MOVING);
            }
            if (state == Thread.State.WAITING || state == Thread.State.BLOCKED) {
                nonDaemon++;
                waiting.put(e.id(), t);
            }
        }
        if (nonDaemon == 0) {
            return restart(Verdict.NONE);
        }
        if (samples > 0 && (population != alive || !window.keySet().equals(waiting.keySet()))) {
            return restart(Verdict.MOVING); // a thread started or ended
        }
        population = alive;
        for (Map.Entry<Long, Thread> w : waiting.entrySet()) {
            Thread t = w.getValue();
            Still now = new Still(t, ThreadFacts.state(t), waits(w.getKey()), ThreadFacts.stack(t));
            Still first = window.get(w.getKey());
            if (first == null) {
                window.put(w.getKey(), now);
            } else if (first.thread != t || first.state != now.state || first.waits != now.waits
                    || !Arrays.equals(first.stack, now.stack)) {
                return restart(Verdict.MOVING);
            }
        }
        samples++;
        return samples >= SAMPLES ? Verdict.STUCK : Verdict.UNDECIDED;
    }

    private Verdict restart(Verdict v) {
        window.clear();
        samples = 0;
        return v;
    }

    /**
     * How many times the thread has waited or blocked so far, or -1 when unknown (then stacks and
     * states decide).
     */
    private long waits(long id) {
        try {
            ThreadInfo info = threads.getThreadInfo(id);
            return info == null ? -1 : info.getWaitedCount() + info.getBlockedCount();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
