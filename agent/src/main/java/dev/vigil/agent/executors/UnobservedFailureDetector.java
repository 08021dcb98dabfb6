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
 * {@code unobserved-failure}: a task or {@code CompletableFuture} failed and nobody read the
 * failure before the future became unreachable or the program ended. Grouped by where the
 * exception was thrown (and submitted), with the exception and its stack.
 */
public final class UnobservedFailureDetector implements Detector {

    private final ExecutorLedger ledger;

    public UnobservedFailureDetector(ExecutorLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public List<Finding> findings(Phase phase) {
        Map<String, List<FailureRecord>> groups = new LinkedHashMap<>();
        for (FailureRecord r : ledger.unobservedFailures(phase != Phase.RUNNING)) {
            String key = r.exceptionClass() + '\n' + ExecutorLeakDetector.siteKey(r.failureSite())
                    + (r.submitSite() == null ? "" : '\n' + ExecutorLeakDetector.siteKey(r.submitSite()));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, List<FailureRecord>> g : groups.entrySet()) {
            List<FailureRecord> rs = g.getValue();
            FailureRecord first = rs.get(0);
            String simpleType = first.futureType().substring(first.futureType().lastIndexOf('.') + 1);
            List<Site> sites = new ArrayList<>();
            sites.add(first.failureSite());
            if (first.submitSite() != null) {
                sites.add(first.submitSite());
            }
            String where = first.submitSite() != null && first.submitSite().location() != null
                    ? "task submitted at " + first.submitSite().location()
                    : simpleType;
            String title = ExecutorLeakDetector.plural(rs.size(), "failure") + " of " + where + " never observed: "
                    + first.exceptionClass().substring(first.exceptionClass().lastIndexOf('.') + 1) + " at "
                    + first.failureSite().location();
            String message = "A " + simpleType + " failed with " + first.exceptionClass()
                    + (first.exceptionMessage() == null ? "" : ": " + first.exceptionMessage())
                    + " (thrown at " + first.failureSite().location() + " on thread '" + first.threadName()
                    + "') and nobody called get(), join() or attached a handler before it "
                    + (phase == Phase.RUNNING ? "became unreachable" : "became unreachable or the program ended")
                    + ". The error was silently lost" + (rs.size() > 1 ? ", " + rs.size() + " times" : "") + ".";
            String fix = "Keep every future you start and read its outcome: call get()/join(), or attach "
                    + "exceptionally()/handle()/whenComplete() that logs or propagates the error. For a group of "
                    + "tasks, wait on them together (CompletableFuture.allOf(...).join(), invokeAll) so the first "
                    + "failure propagates, as Go's errgroup does.";
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("count", rs.size());
            details.put("exception", first.exceptionClass());
            if (first.exceptionMessage() != null) {
                details.put("exceptionMessage", first.exceptionMessage());
            }
            details.put("futureType", first.futureType());
            details.put("thread", first.threadName());
            out.add(new Finding(FindingKinds.UNOBSERVED_FAILURE, Severity.ERROR,
                    Fingerprints.of(FindingKinds.UNOBSERVED_FAILURE, g.getKey()), title, message, fix, List.of(),
                    sites, details));
        }
        return out;
    }
}
