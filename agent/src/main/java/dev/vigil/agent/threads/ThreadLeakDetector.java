package dev.vigil.agent.threads;

import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds leaked application threads, grouped by the site that started them:
 * <ul>
 *   <li>{@code alive-at-exit}: still running when the JVM shuts down;</li>
 *   <li>{@code blocking-exit}: non-daemon threads keeping the JVM alive after {@code main} returned;</li>
 *   <li>{@code growing}: one site with {@code threadGrowth} or more live threads (a thread per
 *       request that never ends), also reported while the program runs.</li>
 * </ul>
 * Workers of thread pools are left to the executor findings: the pool, not the thread, is what
 * the application failed to stop. {@code blocking-exit} is only said when the program cannot exit
 * (the watchdog's {@code Quiescence}), {@code alive-at-exit} only at exit, and never of
 * the thread that runs the exit ({@code System.exit} called on it; docs/lifecycle.md).
 */
public final class ThreadLeakDetector implements Detector {

    /** Threads listed per finding; the count in the finding is always complete. */
    static final int MAX_THREADS_LISTED = 16;

    private final ThreadLedger ledger;
    private final ThreadRefs refs;
    /** What a thread waits on now, from the waits the sync tracker follows; wired by the runtime (no package cycle). */
    private volatile java.util.function.Function<Thread, String> waitsOn = t -> null;

    /** Where a leaked thread's message learns what it waits on ({@code "latch CountDownLatch@.. (count 1)"}), or null. */
    public void waitsOn(java.util.function.Function<Thread, String> waitsOn) {
        this.waitsOn = waitsOn;
    }

    /** " on latch CountDownLatch@.. (count 1)" when {@code t} is in a wait the agent follows, else "". */
    private String onWhat(Thread t) {
        String on = t == null ? null : waitsOn.apply(t);
        return on == null ? "" : " on " + on;
    }

    public ThreadLeakDetector(ThreadLedger ledger, ThreadRefs refs) {
        this.ledger = ledger;
        this.refs = refs;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        Map<StartSite, List<ThreadEntry>> bySite = new LinkedHashMap<>();
        for (ThreadEntry e : ledger.live()) {
            if (e.origin() == ThreadOrigin.APPLICATION && e.startSite() != null && !e.pooled() && e.inScope()
                    && !(phase == Phase.EXITING && JdkThreads.isExiting(e.thread()))) {
                bySite.computeIfAbsent(e.startSite(), s -> new ArrayList<>()).add(e);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<StartSite, List<ThreadEntry>> group : bySite.entrySet()) {
            Finding f = judge(phase, group.getKey(), group.getValue());
            if (f != null) {
                out.add(f);
            }
        }
        if (phase == Phase.EXITING) {
            for (Map.Entry<StartSite, List<Thread>> group : ledger.liveVirtualBySite(MAX_THREADS_LISTED).entrySet()) {
                out.add(aliveAtExit(group.getKey(), group.getValue()));
            }
        }
        return out;
    }

    /**
     * Virtual threads still alive at exit, by start site: goleak's check. A warning, as for daemon
     * threads (a virtual thread never keeps the JVM alive, so its work just stops).
     */
    private Finding aliveAtExit(StartSite site, List<Thread> samples) {
        int count = Math.max(site.live(), samples.size());
        List<ThreadRef> listed = new ArrayList<>();
        for (Thread t : samples) {
            listed.add(refs.of(t, dev.vigil.agent.host.ThreadFacts.id(t), dev.vigil.agent.host.ThreadFacts.name(t), true));
        }
        String location = site.site().location();
        String title = plural(count, "virtual thread") + " started at " + location + " still running at exit";
        String msg = (count == 1 ? "Virtual thread " : "Virtual threads ") + names(listed, count)
                + (count == 1 ? " was" : " were") + " started at " + location
                + " and still running when the JVM shut down (" + site.started() + " started there in all, peak "
                + site.peakLive() + " alive at once). Now: " + listed.get(0).name() + " is "
                + ThreadRefs.doingNow(listed.get(0)) + onWhat(samples.get(0)) + '.';
        String fix = "Give every virtual thread an owner and a stop condition, as Go does with a context: start "
                + "them in a scope that joins them (an ExecutorService from newVirtualThreadPerTaskExecutor() "
                + "closed with try-with-resources, or a StructuredTaskScope), and make sure what each waits for "
                + "is released or interrupted when its owner stops.";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", "alive-at-exit");
        details.put("virtual", true);
        details.put("count", count);
        details.put("nonDaemon", 0);
        details.put("startedAtSite", site.started());
        details.put("peakLiveAtSite", site.peakLive());
        return new Finding(FindingKinds.THREAD_LEAK, Severity.WARNING,
                Fingerprints.of(FindingKinds.THREAD_LEAK, site.key()), title, msg, fix, listed, List.of(site.site()),
                details);
    }

    private Finding judge(Phase phase, StartSite site, List<ThreadEntry> threads) {
        int count = threads.size();
        int nonDaemon = 0;
        for (ThreadEntry e : threads) {
            if (!e.daemon()) {
                nonDaemon++;
            }
        }
        boolean growing = count >= ledger.growthLimit();
        String reason;
        Severity severity;
        String where;
        if (phase == Phase.EXIT_BLOCKED && nonDaemon > 0) {
            reason = "blocking-exit";
            severity = Severity.ERROR;
            where = plural(nonDaemon, "non-daemon thread") + " keep the JVM from exiting after main returned";
        } else if (growing) {
            reason = "growing";
            severity = Severity.ERROR;
            where = "alive at once from one site (limit threadGrowth=" + ledger.growthLimit() + ")";
        } else if (phase != Phase.EXITING) {
            // Running, or stuck with only daemon threads here: "alive at exit" is said at exit only.
            return null;
        } else {
            reason = "alive-at-exit";
            severity = nonDaemon > 0 ? Severity.ERROR : Severity.WARNING;
            where = phase == Phase.EXITING ? "still running at exit" : "still running after main returned";
        }

        List<ThreadRef> listed = new ArrayList<>();
        for (ThreadEntry e : threads) {
            if (listed.size() == MAX_THREADS_LISTED) {
                break;
            }
            listed.add(refs.of(e.thread(), e.id(), e.name(), e.daemon()));
        }
        ThreadEntry first = threads.get(0);
        String location = site.site().location();
        String title = plural(count, "thread") + " started at " + location + " " + where;

        StringBuilder msg = new StringBuilder();
        msg.append(count == 1 ? "Thread " : "Threads ").append(names(listed, count))
                .append(count == 1 ? " was" : " were").append(" started at ").append(location)
                .append(" by thread '").append(first.parentName()).append("'");
        switch (reason) {
            case "blocking-exit" -> msg.append(". main has returned, but ")
                    .append(nonDaemon == 1 ? "this non-daemon thread keeps" : "these non-daemon threads keep")
                    .append(" the JVM alive: it will not exit and shutdown hooks will not run.");
            case "growing" -> msg.append(". ").append(count).append(" threads from this site are alive at once (")
                    .append(site.started()).append(" started in all, peak ").append(site.peakLive())
                    .append("): each start adds a thread that never ends.");
            default -> msg.append(phase == Phase.EXITING
                    ? (count == 1 ? " and was" : " and were") + " still running when the JVM shut down."
                    : (count == 1 ? " and is" : " and are") + " still running after main returned.");
        }
        msg.append(" Now: ").append(listed.get(0).name()).append(" is ").append(ThreadRefs.doingNow(listed.get(0)))
                .append(onWhat(threads.get(0).thread())).append('.');

        String fix = "Give every thread an owner and a stop condition, as Go does with a context: keep a "
                + "reference to the thread, stop it when its owner closes (interrupt it, or a volatile flag its "
                + "loop checks) and join it. For many short tasks, use one shared ExecutorService that is shut down.";
        if (reason.equals("blocking-exit")) {
            fix = fix + " A thread that must not keep the JVM alive can also be a daemon thread, but a daemon "
                    + "thread is still a leak if nothing stops it.";
        }

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("reason", reason);
        details.put("count", count);
        details.put("nonDaemon", nonDaemon);
        details.put("startedAtSite", site.started());
        details.put("peakLiveAtSite", site.peakLive());
        details.put("parentThread", first.parentName());

        return new Finding(FindingKinds.THREAD_LEAK, severity, Fingerprints.of(FindingKinds.THREAD_LEAK, site.key()),
                title, msg.toString(), fix, listed, List.of(site.site()), details);
    }

    private static String names(List<ThreadRef> listed, int count) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(listed.size(), 5);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('\'').append(listed.get(i).name()).append('\'');
        }
        if (count > shown) {
            sb.append(" and ").append(count - shown).append(" more");
        }
        return sb.toString();
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
