package dev.vigil.agent.executors;

import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.findings.Phase;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code timer-pile-up}, the Java form of Go's {@code time.After} in a loop: an application
 * {@code ScheduledThreadPoolExecutor} seen holding {@link ExecutorLedger#PILE_UP_MARK} or more
 * delayed tasks while {@code schedule} is still being called on it (the ledger re-reads the queue
 * every 256 schedules past the mark). Error when most of them were cancelled and are only retained
 * ({@code removeOnCancel} false); warning when they are live (scheduled faster than they fire). A
 * new scheduler per call is an {@code executor-leak} (growing) and a new {@code Timer} per call a
 * {@code thread-leak}: those detectors name the site.
 */
public final class TimerPileUpDetector implements Detector {

    private final ExecutorLedger ledger;

    public TimerPileUpDetector(ExecutorLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>();
        for (TimerPileUp p : ledger.pileUps()) {
            List<Site> sites = new ArrayList<>();
            if (p.topSite() != null) {
                sites.add(p.topSite());
            }
            sites.add(p.executor().site.site());
            Site first = sites.get(0);
            boolean retained = !p.removeOnCancel() && p.cancelled() * 2 >= p.queued();
            String title = "Scheduler created at " + p.executor().site.site().location() + " piled up " + p.queued()
                    + " delayed tasks" + (p.topSite() != null ? " scheduled at " + first.location() : "")
                    + (p.cancelled() > 0 ? " (" + p.cancelled() + " cancelled but retained)" : "");
            String message = "A ScheduledThreadPoolExecutor held " + p.queued() + " delayed tasks in its queue"
                    + (p.topSite() != null ? ", " + p.topSiteCount() + " of them scheduled at " + first.location() : "")
                    + ". " + (retained ? p.cancelled() + " were cancelled, but with removeOnCancel false a cancelled "
                    + "task stays queued, with everything it references, until its delay expires."
                    : "Tasks are scheduled faster than they fire.")
                    + " This is Go's time.After in a loop: every call leaves a timer behind.";
            String fix = "Cancel timers you no longer need and call setRemoveOnCancelPolicy(true) on the scheduler "
                    + "(or purge()), so cancelled timeouts leave the queue at once; for recurring work, one "
                    + "scheduleAtFixedRate cancelled on stop instead of a schedule per call; for timeouts, "
                    + "CompletableFuture.orTimeout.";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("reason", retained ? "cancelled-retained" : "scheduled-faster-than-fired");
            details.put("queued", p.queued());
            details.put("cancelled", p.cancelled());
            details.put("removeOnCancel", p.removeOnCancel());
            details.put("scheduledAtSite", p.topSiteCount());
            details.put("mark", ExecutorLedger.PILE_UP_MARK);
            details.put("executorId", p.executor().id);
            out.add(new Finding(FindingKinds.TIMER_PILE_UP, retained ? Severity.ERROR : Severity.WARNING,
                    Fingerprints.of(FindingKinds.TIMER_PILE_UP, ExecutorLeakDetector.siteKey(first),
                            p.executor().site.key()), title, message, fix, List.of(), sites, details));
        }
        return out;
    }
}
