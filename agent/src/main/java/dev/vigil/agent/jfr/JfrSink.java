package dev.vigil.agent.jfr;

import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Commits findings as JFR events. A finding is committed when it is new or has changed since it
 * was last committed (so periodic reports do not repeat it); the reader keeps the last event per
 * fingerprint. Without a recording every commit is a no-op.
 */
public final class JfrSink implements dev.vigil.agent.findings.ReportSink {

    /** Findings remembered for de-duplication; beyond this, changed findings may be re-committed. */
    static final int MAX_REMEMBERED = 10_000;

    private final LongFunction<Thread> liveThreads;
    private final Map<String, Integer> committed = new HashMap<>();

    private final Path reportDir;

    /** {@code liveThreads} finds a live thread by id, or returns null; {@code reportDir} goes in each {@code vigil.Report} event. */
    public JfrSink(LongFunction<Thread> liveThreads, Path reportDir) {
        this.liveThreads = liveThreads;
        this.reportDir = reportDir;
    }

    @Override
    public String kind() {
        return "jfr";
    }

    @Override
    public String describe() {
        return "committing JFR events";
    }

    @Override
    public void write(Report report, Pass pass) {
        emit(report, reportDir);
    }

    public synchronized void emit(Report report, Path reportDir) {
        if (!JfrEvents.registered()) {
            return; // JFR never started: nothing could record the events (and JSON per finding costs)
        }
        for (Finding f : report.findings()) {
            String json = ReportJson.partToJson(f);
            String key = f.kind() + '/' + f.fingerprint();
            Integer previous = committed.get(key);
            if (previous != null && previous == json.hashCode()) {
                continue;
            }
            if (committed.size() < MAX_REMEMBERED || previous != null) {
                committed.put(key, json.hashCode());
            }
            commitFinding(f, json);
        }
        ReportEvent r = new ReportEvent();
        if (r.isEnabled()) {
            r.trigger = report.run() == null ? null : report.run().trigger();
            r.findings = report.findings().size();
            r.errors = (int) report.count(Severity.ERROR);
            r.warnings = (int) report.count(Severity.WARNING);
            r.internalErrors = report.agent() == null ? 0 : report.agent().internalErrors();
            r.reportDirectory = reportDir == null ? null : reportDir.toString();
            r.runJson = ReportJson.partToJson(report.run());
            r.agentJson = ReportJson.partToJson(report.agent());
            r.commit();
        }
    }

    private void commitFinding(Finding f, String json) {
        FindingEvent probe = JfrEvents.forKind(f.kind());
        if (probe == null || !probe.isEnabled()) {
            return;
        }
        if (probe instanceof EdgeFindingEvent) {
            commitEdges(f, json);
        } else {
            fill(probe, f, json);
            probe.commit();
        }
    }

    @SuppressWarnings("unchecked")
    private void commitEdges(Finding f, String json) {
        Object edgesValue = f.details().get("edges");
        Object locksValue = f.details().get("locks");
        List<Object> edges = edgesValue instanceof List<?> l ? (List<Object>) l : List.of();
        Map<String, String> labels = new HashMap<>();
        if (locksValue instanceof List<?> locks) {
            for (Object o : locks) {
                if (o instanceof Map<?, ?> m && m.get("id") != null) {
                    labels.put(String.valueOf(m.get("id")), String.valueOf(m.get("label")));
                }
            }
        }
        int count = Math.max(1, edges.size());
        for (int i = 0; i < count; i++) {
            EdgeFindingEvent e = (EdgeFindingEvent) JfrEvents.forKind(f.kind());
            fill(e, f, i == 0 ? json : null);
            e.cycleId = f.fingerprint();
            e.edgeIndex = i;
            e.edgeCount = edges.size();
            if (i < edges.size() && edges.get(i) instanceof Map<?, ?> edge) {
                e.fromLock = labels.getOrDefault(String.valueOf(edge.get("from")), String.valueOf(edge.get("from")));
                e.toLock = labels.getOrDefault(String.valueOf(edge.get("to")), String.valueOf(edge.get("to")));
                e.edgeThreadName = edge.get("thread") == null ? null : String.valueOf(edge.get("thread"));
                e.edgeThreadId = edge.get("threadId") instanceof Number n ? n.longValue() : -1;
                e.heldAt = siteLocation(f, edge.get("heldSite"));
                e.takenAt = siteLocation(f, edge.get("takenSite"));
            }
            e.commit();
        }
    }

    private static String siteLocation(Finding f, Object index) {
        if (index instanceof Number n && n.intValue() >= 0 && n.intValue() < f.sites().size()) {
            return f.sites().get(n.intValue()).location();
        }
        return null;
    }

    private void fill(FindingEvent e, Finding f, String json) {
        e.kind = f.kind();
        e.severity = f.severity().label();
        e.fingerprint = f.fingerprint();
        e.title = f.title();
        e.message = f.message();
        e.howToFix = f.howToFix();
        e.location = f.primaryLocation();
        if (!f.sites().isEmpty()) {
            e.siteStack = stackText(f.sites().get(0));
        }
        e.threadCount = f.threads().size();
        e.threadId = -1;
        if (!f.threads().isEmpty()) {
            ThreadRef t = f.threads().get(0);
            e.threadId = t.id();
            e.threadName = t.name();
            e.thread = t.alive() ? liveThreads.apply(t.id()) : null;
        }
        e.findingJson = json;
    }

    static String stackText(Site site) {
        StringBuilder sb = new StringBuilder();
        for (Frame fr : site.frames()) {
            sb.append(fr).append('\n');
        }
        return sb.toString();
    }
}
