package dev.vigil.agent.report;

import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.ThreadLifetime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Assembles a {@link Report} from the trackers and detectors. Knows no output format. */
public final class ReportBuilder {

    private final Map<String, String> options;
    private final long startMillis;
    private final ThreadLedger ledger;
    private final List<Detector> detectors;
    private final AgentHealth health;
    private final String version;

    public ReportBuilder(Map<String, String> options, long startMillis, ThreadLedger ledger,
                        List<Detector> detectors, AgentHealth health, String version) {
        this.options = options;
        this.startMillis = startMillis;
        this.ledger = ledger;
        this.detectors = detectors;
        this.health = health;
        this.version = version;
    }

    public Report build(Phase phase) {
        List<Finding> findings = new ArrayList<>();
        for (Detector d : detectors) {
            try {
                findings.addAll(d.findings(phase));
            } catch (RuntimeException | LinkageError e) {
                health.error("detector " + d.getClass().getSimpleName(), e);
            }
        }
        findings.sort(Report.SEVERITY_ORDER);
        RunInfo run = new RunInfo(
                ProcessHandle.current().pid(),
                System.getProperty("sun.java.command"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                System.getProperty("java.version"),
                Instant.ofEpochMilli(startMillis).toString(),
                Instant.now().toString(),
                phase.trigger(),
                options);
        return new Report(Report.SCHEMA_VERSION, run, findings, lifetimes(), agentInfo());
    }

    private List<ThreadLifetime> lifetimes() {
        // Live first, then ended: a thread that ends between the two reads is then in the second
        // (read the other way round it was in neither, e.g. vigil-watchdog ending at shutdown).
        List<ThreadEntry> live = ledger.live();
        List<ThreadEntry> ended = ledger.ended();
        Set<ThreadEntry> endedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        endedSet.addAll(ended);
        List<ThreadLifetime> out = new ArrayList<>(live.size() + ended.size());
        for (ThreadEntry e : ended) {
            out.add(lifetime(e));
        }
        for (ThreadEntry e : live) {
            if (!endedSet.contains(e)) {
                out.add(lifetime(e));
            }
        }
        return out;
    }

    private static ThreadLifetime lifetime(ThreadEntry e) {
        Thread t = e.thread();
        String state = e.endMillis() != 0 || t == null ? Thread.State.TERMINATED.name() : t.getState().name();
        return new ThreadLifetime(e.id(), e.name(), e.daemon(), e.origin().label(),
                e.parentId() < 0 ? null : e.parentId(), e.parentName(),
                e.startSite() == null ? null : e.startSite().site(),
                e.startMillis() == 0 ? null : Instant.ofEpochMilli(e.startMillis()).toString(),
                e.endMillis() == 0 ? null : Instant.ofEpochMilli(e.endMillis()).toString(),
                state);
    }

    private AgentInfo agentInfo() {
        List<String> samples = new ArrayList<>(health.errorSamples());
        Throwable hookError = VigilHooks.firstInternalError();
        if (hookError != null) {
            samples.add(0, "hook: " + hookError);
        }
        Map<String, Long> truncated = new LinkedHashMap<>();
        truncated.put("endedThreadsForgotten", ledger.endedForgotten());
        truncated.put("threadStartSitesTruncated", ledger.sitesTruncated());
        return new AgentInfo(version, VigilHooks.internalErrors() + health.errors(), samples,
                health.instrumented(), health.selfTest(),
                VigilHooks.class.getClassLoader() == null ? "bootstrap" : String.valueOf(VigilHooks.class.getClassLoader()),
                truncated);
    }
}
