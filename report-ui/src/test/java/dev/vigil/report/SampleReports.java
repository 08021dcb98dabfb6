package dev.vigil.report;

import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadLifetime;
import dev.vigil.report.model.ThreadRef;
import java.util.List;
import java.util.Map;

/** Reports built by hand for tests of the report code. */
public final class SampleReports {

    private SampleReports() {
    }

    /** A small, complete report with one thread-leak finding. */
    public static Report threadLeak() {
        Frame app = new Frame("com.acme.Worker", "start", "Worker.java", 21, true);
        Frame jdk = new Frame("java.lang.Thread", "sleep", "Thread.java", 344, false);
        Finding f = new Finding("thread-leak", Severity.WARNING, "0123456789abcdef", "1 thread started at Worker.java:21",
                "Thread 'w' ...", "Stop it.", List.of(new ThreadRef(17, "w", true, true, "TIMED_WAITING", List.of(jdk, app))),
                List.of(new Site("thread start", "Worker.java:21", List.of(app))), Map.of("reason", "alive-at-exit", "count", 1));
        return new Report(Report.SCHEMA_VERSION,
                new RunInfo(99, "com.acme.Main", "OpenJDK", "17", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "exit",
                        Map.of("report", "/tmp/r")),
                List.of(f),
                List.of(new ThreadLifetime(17, "w", true, "application", 1L, "main", f.sites().get(0),
                        "2026-01-01T00:00:00Z", null, "TIMED_WAITING")),
                new AgentInfo("1.0", 0, List.of(), List.of("java.lang.Thread"), "passed", "bootstrap",
                        Map.of("endedThreadsForgotten", 0L)));
    }

}
