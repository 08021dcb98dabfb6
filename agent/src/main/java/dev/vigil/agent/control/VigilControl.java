package dev.vigil.agent.control;

import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.runtime.Watchdog;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.ci.Gate;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import javax.management.ObjectName;

/**
 * The MBean. Its operations run on the caller's thread (a JMX connection thread, or a test's
 * thread in-process): each runs as agent work, with the hooks off, so that building a report is
 * never itself tracked.
 */
public final class VigilControl implements VigilControlMBean {

    private final ReportPublisher publisher;
    private final Watchdog watchdog;
    private final ThreadLedger ledger;
    private final List<Detector> detectors;
    private final String mode;
    private final long startMillis;

    public VigilControl(ReportPublisher publisher, Watchdog watchdog, ThreadLedger ledger, List<Detector> detectors,
                        String mode, long startMillis) {
        this.publisher = publisher;
        this.watchdog = watchdog;
        this.ledger = ledger;
        this.detectors = detectors;
        this.mode = mode;
        this.startMillis = startMillis;
    }

    /** Registers in the platform MBean server; false (and nothing else happens) when that fails. */
    public boolean register() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(this, new ObjectName(OBJECT_NAME));
            return true;
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    @Override
    public String writeReport() {
        String[] failure = new String[1];
        Report r = asAgent(() -> {
            synchronized (publisher) {
                Report built = publisher.publish(watchdog.currentPhase(), "on-demand", false);
                failure[0] = publisher.jsonFailure();
                return built;
            }
        });
        if (r == null) {
            throw new IllegalStateException("Vigil could not build the report (see the agent section of the last report)");
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]); // never name a file that was not written
        }
        return publisher.jsonFile().toString();
    }

    @Override
    public int resetScope() {
        return asAgent(() -> {
            int n = ledger.resetScope();
            for (Detector d : detectors) {
                d.resetScope();
            }
            return n;
        });
    }

    @Override
    public String[] findings(String minSeverity) {
        Severity threshold = Severity.parse(minSeverity);
        return asAgent(() -> {
            Report r = publisher.builder().build(watchdog.currentPhase(), "on-demand");
            return Gate.failing(r, threshold).stream().map(VigilControl::line).toArray(String[]::new);
        });
    }

    private static String line(Finding f) {
        StringBuilder ids = new StringBuilder();
        for (ThreadRef t : f.threads()) {
            ids.append(ids.length() == 0 ? "" : ",").append(t.id());
        }
        return f.severity().label() + " " + f.kind() + " " + f.fingerprint() + " " + (ids.length() == 0 ? "-" : ids)
                + " " + f.title();
    }

    @Override
    public String threadStartSite(long threadId) {
        ThreadEntry e = ledger.entry(threadId);
        if (e == null || e.startSite() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(e.startSite().site().location());
        for (Frame f : e.startSite().site().frames()) {
            sb.append("\n\tat ").append(f);
        }
        return sb.toString();
    }

    @Override
    public String getMode() {
        return mode;
    }

    @Override
    public String getStart() {
        return Instant.ofEpochMilli(startMillis).toString();
    }

    @Override
    public String getReportFile() {
        return publisher.jsonFile().toString();
    }

    private static <T> T asAgent(Supplier<T> work) {
        boolean entered = VigilHooks.enter();
        try {
            return work.get();
        } finally {
            if (entered) {
                VigilHooks.leave();
            }
        }
    }
}
