package dev.vigil.report.jfr;

import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadLifetime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Rebuilds a {@link Report} from a JFR recording made with Vigil attached, on this machine or
 * another: findings come whole from the finding events (the last event per fingerprint wins, as
 * the live report's last state does), run and agent facts from the last {@code vigil.Report}
 * event, thread lifetimes from {@code vigil.ThreadStart/End} or, when those were off, the JDK's own
 * {@code jdk.ThreadStart/End}.
 */
public final class RecordingReader {

    private RecordingReader() {
    }

    public static Report read(Path recording) throws ReportFormatException {
        if (!Files.isRegularFile(recording)) {
            throw new ReportFormatException(recording + ": no such file");
        }
        Map<String, Finding> findings = new LinkedHashMap<>();
        RunInfo run = null;
        AgentInfo agent = null;
        Map<Long, ThreadLifetime> vigilThreads = new LinkedHashMap<>();
        Map<Long, ThreadLifetime> jdkThreads = new LinkedHashMap<>();
        int vigilEvents = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                String name = e.getEventType().getName();
                if (name.startsWith(JfrNames.PREFIX)) {
                    vigilEvents++;
                }
                if (e.hasField(JfrNames.FINDING_JSON)) {
                    String json = e.getString(JfrNames.FINDING_JSON);
                    if (json != null && !json.isEmpty()) {
                        Finding f = ReportJson.partFromJson(json, Finding.class);
                        findings.remove(f.kind() + '/' + f.fingerprint());
                        findings.put(f.kind() + '/' + f.fingerprint(), f);
                    }
                } else if (name.equals(JfrNames.REPORT)) {
                    run = ReportJson.partFromJson(e.getString(JfrNames.RUN_JSON), RunInfo.class);
                    agent = ReportJson.partFromJson(e.getString(JfrNames.AGENT_JSON), AgentInfo.class);
                } else if (name.equals(JfrNames.THREAD_START) || name.equals("jdk.ThreadStart")) {
                    ThreadLifetime t = started(e, name.equals(JfrNames.THREAD_START));
                    if (t != null) {
                        (name.startsWith(JfrNames.PREFIX) ? vigilThreads : jdkThreads).put(t.id(), t);
                    }
                } else if (name.equals(JfrNames.THREAD_END) || name.equals("jdk.ThreadEnd")) {
                    Map<Long, ThreadLifetime> map = name.startsWith(JfrNames.PREFIX) ? vigilThreads : jdkThreads;
                    ended(e, map);
                }
            }
        } catch (IOException e) {
            throw new ReportFormatException(recording + ": not a readable JFR recording: " + e.getMessage(), e);
        }
        if (vigilEvents == 0) {
            throw new ReportFormatException(recording + ": no Vigil events in this recording (was the agent attached "
                    + "and vigil.jfc in the recording settings? see docs/jfr.md)");
        }
        if (run == null) {
            run = new RunInfo(0, null, null, null, null, null, "recording", Map.of());
        } else {
            run = new RunInfo(run.pid(), run.command(), run.jvm(), run.javaVersion(), run.start(), run.end(),
                    run.trigger(), run.options());
        }
        List<Finding> list = new ArrayList<>(findings.values());
        List<ThreadLifetime> threads = new ArrayList<>((vigilThreads.isEmpty() ? jdkThreads : vigilThreads).values());
        dev.vigil.report.json.ReportValidation.check(new Report(Report.SCHEMA_VERSION, run, list, threads, agent),
                recording.toString());
        list.sort(Report.SEVERITY_ORDER);
        return new Report(Report.SCHEMA_VERSION, run, list, threads, agent);
    }

    /** From {@code vigil.ThreadStart} (richer) or {@code jdk.ThreadStart}; both have {@code thread} and {@code parentThread}. */
    private static ThreadLifetime started(RecordedEvent e, boolean vigil) {
        RecordedThread t = e.getThread("thread");
        long id = vigil ? e.getLong("threadId") : t == null ? -1 : t.getJavaThreadId();
        if (id < 0) {
            return null;
        }
        String name = vigil ? e.getString("threadName") : t.getJavaName();
        boolean daemon = vigil && e.getBoolean("daemon");
        String origin = vigil ? e.getString("origin") : "unknown";
        RecordedThread parent = e.getThread("parentThread");
        return new ThreadLifetime(id, name, daemon, origin,
                parent == null ? null : parent.getJavaThreadId(), parent == null ? null : parent.getJavaName(),
                startSite(e.getStackTrace(), vigil ? e.getString("location") : null),
                e.getStartTime().toString(), null, "RUNNABLE");
    }

    /**
     * JFR frames carry no file names: the file is inferred from the class name (right for Java
     * sources); the location, when the event has one, is Vigil's own and exact.
     */
    private static Site startSite(RecordedStackTrace st, String location) {
        if (st == null) {
            return location == null ? null : new Site("thread start", location, List.of());
        }
        List<Frame> frames = new ArrayList<>();
        for (RecordedFrame f : st.getFrames()) {
            if (!f.isJavaFrame()) {
                continue;
            }
            String cls = f.getMethod().getType().getName();
            String simple = cls.substring(cls.lastIndexOf('.') + 1);
            int dollar = simple.indexOf('$');
            String file = (dollar >= 0 ? simple.substring(0, dollar) : simple) + ".java";
            boolean app = !(cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")
                    || cls.startsWith("dev.vigil.agent.") || cls.startsWith("dev.vigil.bootstrap."));
            frames.add(new Frame(cls, f.getMethod().getName(), file, f.getLineNumber(), app));
        }
        if (location == null) {
            Frame at = frames.stream().filter(Frame::app).findFirst().orElse(frames.isEmpty() ? null : frames.get(0));
            location = at == null ? null : at.location();
        }
        return new Site("thread start", location, frames);
    }

    private static void ended(RecordedEvent e, Map<Long, ThreadLifetime> map) {
        RecordedThread t = e.getThread("thread");
        long id = e.hasField("threadId") ? e.getLong("threadId") : t == null ? -1 : t.getJavaThreadId();
        ThreadLifetime s = map.get(id);
        if (s != null) {
            map.put(id, new ThreadLifetime(s.id(), s.name(), s.daemon(), s.origin(), s.parentId(), s.parentName(),
                    s.startSite(), s.start(), e.getStartTime().toString(), "TERMINATED"));
        }
    }
}
