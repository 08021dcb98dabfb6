package dev.vigil.agent.executors;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code task-leak} with {@code details.reason = running-too-long}: tasks that have run longer than
 * {@code longTask} (off by default), checked by {@link ExecutorWatch} while they run. Each task is
 * counted once; one finding per submitting site, with where the latest such task is running now.
 */
public final class LongTaskDetector implements Detector {

    private final ExecutorLedger ledger;
    private final StackFrames stacks;
    private final long longMillis;
    private final LongSupplier clock;
    private final Map<Site, LongSite> bySite = new LinkedHashMap<>();

    private static final class LongSite {
        final Site submitSite;
        int count;
        long longestMillis;
        String threadName;
        long threadId;
        boolean daemon;
        List<Frame> runningFrames = List.of();

        LongSite(Site submitSite) {
            this.submitSite = submitSite;
        }
    }

    public LongTaskDetector(ExecutorLedger ledger, StackFrames stacks, long longMillis, LongSupplier clock) {
        this.ledger = ledger;
        this.stacks = stacks;
        this.longMillis = longMillis;
        this.clock = clock;
    }

    public long longMillis() {
        return longMillis;
    }

    /** Counts tasks that just passed the threshold; true when one was found. */
    public synchronized boolean check() {
        if (longMillis <= 0) {
            return false;
        }
        long now = clock.getAsLong();
        boolean any = false;
        for (Map.Entry<Object, TaskRecord> e : ledger.openTasks()) {
            TaskRecord t = e.getValue();
            long started = t.startedMillis;
            Thread runner = t.runner;
            if (started == 0 || t.longReported || runner == null || now - started < longMillis) {
                continue;
            }
            if (TaskState.periodic(e.getKey())) {
                continue; // one run of a periodic task is a task; its whole schedule is not
            }
            if (!bySite.containsKey(t.submitSite) && bySite.size() >= ExecutorLedger.MAX_SITES) {
                continue;
            }
            t.longReported = true;
            LongSite s = bySite.computeIfAbsent(t.submitSite, LongSite::new);
            s.count++;
            s.longestMillis = Math.max(s.longestMillis, now - started);
            s.threadName = t.threadName;
            s.threadId = t.runnerId;
            s.daemon = runner.isDaemon();
            s.runningFrames = stacks.frames(ThreadFacts.stack(runner), 0);
            any = true;
        }
        return any;
    }

    @Override
    public synchronized List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>();
        for (LongSite s : bySite.values()) {
            Site running = StackFrames.site("running now", s.runningFrames);
            String location = s.submitSite.location();
            String title = ExecutorLeakDetector.plural(s.count, "task") + " submitted at " + location + " ran longer than "
                    + FutureWaitDetector.seconds(longMillis) + " (longTask)";
            String message = ExecutorLeakDetector.plural(s.count, "task") + " submitted at " + location
                    + " ran longer than the longTask threshold of " + FutureWaitDetector.seconds(longMillis)
                    + " (at least " + FutureWaitDetector.seconds(s.longestMillis) + "). The latest, on thread '"
                    + s.threadName + "', was running at " + running.location() + " when seen. A task that runs far "
                    + "longer than expected holds a worker (and often a lock or a connection) and delays every task "
                    + "queued behind it.";
            String fix = "Bound the work: a timeout on every blocking call the task makes, cancellation checks "
                    + "(Thread.interrupted()) in its loops, and a get(timeout) plus cancel(true) by whoever owns it.";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", "running-too-long");
            details.put("count", s.count);
            details.put("longestMillis", s.longestMillis);
            details.put("thresholdMillis", longMillis);
            List<ThreadRef> threads = List.of(new ThreadRef(s.threadId, s.threadName, s.daemon, true, null,
                    s.runningFrames));
            out.add(new Finding(FindingKinds.TASK_LEAK, Severity.WARNING,
                    Fingerprints.of(FindingKinds.TASK_LEAK, "running-too-long\n" + ExecutorLeakDetector.siteKey(s.submitSite)),
                    title, message, fix, threads, List.of(s.submitSite, running), details));
        }
        return out;
    }

    @Override
    public synchronized void resetScope() {
        bySite.clear();
    }
}
