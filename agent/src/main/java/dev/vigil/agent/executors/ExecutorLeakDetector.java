package dev.vigil.agent.executors;

import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.threads.StartSite;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code executor-leak}: application executors never shut down, grouped by creation site (at exit,
 * once the application's shutdown hooks have ended; when their non-daemon workers keep a stuck
 * JVM from exiting; or while running when one site holds {@link #GROWTH_LIMIT} or more of them:
 * an executor per request). {@code task-leak}: tasks still queued or running when the JVM exits,
 * whose work is lost; delayed tasks not yet due, periodic and cancelled ones are not (docs/lifecycle.md).
 */
public final class ExecutorLeakDetector implements Detector {

    /** Live, never shut down executors from one site at which the site counts as one executor per call. */
    static final int GROWTH_LIMIT = 16;

    private final ExecutorLedger ledger;

    public ExecutorLeakDetector(ExecutorLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void resetScope() {
        ledger.resetScope();
    }

    @Override
    public List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>(executorLeaks(phase));
        if (phase != Phase.RUNNING) {
            out.addAll(taskLeaks(phase));
        }
        return out;
    }

    /**
     * A pool whose own state says it was shut down, though no shutdown of this object was seen:
     * shut down through a spy of it (Mockito's copy shares the pool's {@code ctl}, workers and
     * queue; issue 15 part 4). Read from the JDK's field, never by {@code isShutdown}.
     */
    private static boolean shutDownElsewhere(Object executor) {
        return executor instanceof java.util.concurrent.ThreadPoolExecutor p && dev.vigil.bootstrap.JdkFields.poolShutDown(p);
    }

    private List<Finding> executorLeaks(Phase phase) {
        Map<StartSite, List<ExecutorLoad>> bySite = new LinkedHashMap<>();
        Map<StartSite, Integer> nonDaemonBySite = new LinkedHashMap<>();
        for (Map.Entry<Object, ExecutorRecord> e : ledger.executors()) {
            ExecutorRecord r = e.getValue();
            if (r.shutdownMillis == 0 && r.inScope && !shutDownElsewhere(e.getKey())) {
                ExecutorLoad load = ledger.load(e.getKey(), r);
                if (ExecutorLedger.isPerTask(e.getKey()) && load.threads() == 0) {
                    // A thread-per-task executor holds no thread between tasks: left open with none
                    // running, it costs nothing (Jetty keeps one as its default virtual-thread executor).
                    continue;
                }
                bySite.computeIfAbsent(r.site, s -> new ArrayList<>()).add(load);
                nonDaemonBySite.merge(r.site, ExecutorLedger.nonDaemonWorkers(r), Integer::sum);
            }
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<StartSite, List<ExecutorLoad>> g : bySite.entrySet()) {
            StartSite site = g.getKey();
            List<ExecutorLoad> loads = g.getValue();
            int count = loads.size();
            int threads = 0;
            int active = 0;
            long queued = 0;
            boolean unknown = false;
            for (ExecutorLoad l : loads) {
                threads += Math.max(0, l.threads());
                active += Math.max(0, l.active());
                queued += Math.max(0, l.queued());
                unknown |= l.threads() < 0 || l.active() < 0 || l.queued() < 0;
            }
            int nonDaemon = nonDaemonBySite.getOrDefault(site, 0);
            boolean growing = count >= GROWTH_LIMIT;
            String reason;
            Severity severity;
            String where;
            if (phase == Phase.EXIT_BLOCKED && nonDaemon > 0) {
                // Only daemon workers: they keep nobody alive (Hikari's housekeeper).
                reason = "blocking-exit";
                severity = Severity.ERROR;
                where = "never shut down; " + plural(nonDaemon, "non-daemon worker thread") + " keep the JVM from exiting";
            } else if (growing) {
                reason = "growing";
                severity = Severity.ERROR;
                where = "alive and never shut down (one executor per call?)";
            } else if (phase != Phase.EXITING) {
                continue; // "never shut down" is said at exit, once the application's hooks have closed what they close
            } else {
                reason = "never-shut-down";
                severity = nonDaemon > 0 ? Severity.ERROR : Severity.WARNING;
                where = "never shut down";
            }
            String location = site.site().location();
            String title = plural(count, "executor") + " created at " + location + " " + where;
            String message = plural(count, "executor") + " created at " + location + " (" + site.started()
                    + " created there in all) " + (count == 1 ? "was" : "were") + " never shut down. Now: "
                    + plural(threads, "worker thread") + ", " + active + " running a task, " + queued + " queued task"
                    + (queued == 1 ? "" : "s") + (unknown ? " (figures the executor's class overrides are left out)" : "")
                    + "." + (reason.equals("blocking-exit")
                    ? " main has returned, but the idle workers wait for work forever: the JVM will not exit." : "");
            String fix = "Give every executor an owner that shuts it down: create it once and share it, or use "
                    + "try-with-resources (JDK 19+) or shutdown() plus awaitTermination() in a finally block, as a Go "
                    + "errgroup waits for its goroutines. An executor per request leaks its threads every time.";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", reason);
            details.put("count", count);
            details.put("createdAtSite", site.started());
            details.put("workerThreads", threads);
            details.put("nonDaemonWorkerThreads", nonDaemon);
            details.put("activeTasks", active);
            details.put("queuedTasks", queued);
            out.add(new Finding(FindingKinds.EXECUTOR_LEAK, severity,
                    Fingerprints.of(FindingKinds.EXECUTOR_LEAK, site.key()), title, message, fix, List.of(),
                    List.of(site.site()), details));
        }
        return out;
    }

    private List<Finding> taskLeaks(Phase phase) {
        Map<Site, List<TaskRecord>> bySite = new LinkedHashMap<>();
        for (Map.Entry<Object, TaskRecord> e : ledger.openTasks()) {
            Object task = e.getKey();
            TaskRecord rec = e.getValue();
            if (TaskState.periodic(task) || TaskState.cancelled(task)) {
                continue; // periodic: never "finishes", its executor's leak is the finding; cancelled: on purpose
            }
            if (rec.startedMillis == 0 && TaskState.notYetDue(task)) {
                continue; // a timer that has not fired, not queued work
            }
            if (phase == Phase.EXITING && dev.vigil.agent.threads.JdkThreads.isExiting(rec.runner)) {
                continue; // the task called System.exit: it is the exit, not cut off by it
            }
            bySite.computeIfAbsent(rec.submitSite, s -> new ArrayList<>()).add(rec);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<Site, List<TaskRecord>> g : bySite.entrySet()) {
            Site site = g.getKey();
            int running = 0;
            for (TaskRecord t : g.getValue()) {
                if (t.startedMillis != 0) {
                    running++;
                }
            }
            int count = g.getValue().size();
            int queued = count - running;
            String when = phase == Phase.EXITING ? "when the JVM exited" : "after main returned";
            String title = plural(count, "task") + " submitted at " + site.location() + " still "
                    + (running > 0 ? "running" : "queued") + " " + when;
            String message = plural(count, "task") + " submitted at " + site.location() + " had not finished " + when
                    + ": " + running + " running, " + queued + " queued. Their work is lost when the JVM stops.";
            String fix = "Own the work you submit: keep the futures and wait for them (or invokeAll), and shut the "
                    + "executor down with awaitTermination() before exiting, so that no task is cut off halfway.";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", "unfinished-at-exit");
            details.put("count", count);
            details.put("running", running);
            details.put("queued", queued);
            out.add(new Finding(FindingKinds.TASK_LEAK, Severity.ERROR,
                    Fingerprints.of(FindingKinds.TASK_LEAK, siteKey(site)), title, message, fix, List.of(),
                    List.of(site), details));
        }
        return out;
    }

    static String siteKey(Site site) {
        return dev.vigil.agent.stack.StackFrames.siteKey(site.frames(), 8);
    }

    static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
