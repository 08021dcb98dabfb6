package dev.vigil.it.support;

import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadLifetime;
import dev.vigil.report.model.ThreadRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A made-up report as large as the page must stay usable with: many findings of several kinds
 * (lock findings following their contract), each with two stacks and two threads, and many
 * thread lifetimes. Deterministic: the same sizes give the same report.
 */
public final class LargeReport {

    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    public static final long RUN_MILLIS = 600_000;
    private static final String[] KINDS = {"thread-leak", "lock-order-cycle", "deadlock", "stuck-wait", "permit-leak",
        "executor-leak", "queue-growth"};
    private static final String[] ORIGINS = {"application", "application", "jdk", "pre-existing", "vigil"};

    private LargeReport() {
    }

    /** The one finding whose message contains {@code needle-<index>}. */
    public static String needle(int index) {
        return "needle-" + index;
    }

    /** Threads with {@code id % 97 == 0} are alive at report time. */
    public static boolean alive(long id) {
        return id % 97 == 0;
    }

    public static Report of(int findings, int threads) {
        List<Finding> fs = new ArrayList<>(findings);
        for (int i = 0; i < findings; i++) {
            fs.add(finding(i));
        }
        List<ThreadLifetime> ts = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            long id = 100 + i;
            long start = (long) i * RUN_MILLIS / Math.max(1, threads);
            long end = Math.min(RUN_MILLIS, start + 50 + (i * 7919L) % 60_000);
            String origin = ORIGINS[i % ORIGINS.length];
            ts.add(new ThreadLifetime(id, "worker-" + i, i % 3 == 0, origin, 1L, "main",
                    new Site("started", "Pool.java:" + (10 + i % 50), frames("app.Pool", "spawn", "Pool.java", 10 + i % 50, 2)),
                    "pre-existing".equals(origin) ? null : START.plusMillis(start).toString(),
                    alive(id) ? null : START.plusMillis(end).toString(),
                    alive(id) ? "WAITING" : "TERMINATED"));
        }
        RunInfo run = new RunInfo(4242, "app.LargeService", "OpenJDK 64-Bit Server VM", "17.0.15", START.toString(),
                START.plusMillis(RUN_MILLIS).toString(), "periodic", Map.of());
        AgentInfo agent = new AgentInfo("0.1.0", 0, List.of(), List.of("java.lang.Thread"), "passed", "bootstrap",
                Map.of("threads", 0L));
        return new Report(Report.SCHEMA_VERSION, run, fs, ts, agent);
    }

    private static Finding finding(int i) {
        String kind = KINDS[i % KINDS.length];
        Severity severity = Severity.values()[i % Severity.values().length];
        String file = "Service" + (i % 300) + ".java";
        List<Site> sites = List.of(
                new Site("edge 1: L1 taken", file + ":" + (20 + i % 40), frames("app.Service" + i % 300, "first", file, 20 + i % 40, 12)),
                new Site("edge 1: L2 taken while holding L1", file + ":" + (60 + i % 40),
                        frames("app.Service" + i % 300, "second", file, 60 + i % 40, 12)));
        List<ThreadRef> threads = List.of(
                new ThreadRef(100 + 2L * i, "worker-" + 2 * i, false, true, "BLOCKED", frames("app.Worker", "run", "Worker.java", 5, 8)),
                new ThreadRef(101 + 2L * i, "worker-" + (2 * i + 1), false, false, "TERMINATED", List.of()));
        Map<String, Object> details = kind.equals("lock-order-cycle") || kind.equals("deadlock")
                ? Map.of("mode", kind.equals("deadlock") ? "observed" : "predicted",
                        "locks", List.of(Map.of("id", "L1", "label", "lock a" + i), Map.of("id", "L2", "label", "lock b" + i)),
                        "edges", List.of(
                                Map.of("from", "L1", "to", "L2", "thread", "worker-" + 2 * i, "threadId", 100 + 2 * i, "heldSite", 0, "takenSite", 1),
                                Map.of("from", "L2", "to", "L1", "thread", "worker-" + (2 * i + 1), "threadId", 101 + 2 * i, "heldSite", 0, "takenSite", 1)),
                        "scenario", Map.of("columns", List.of("Thread 1", "Thread 2"),
                                "rows", List.of(List.of("lock(L1)", ""), List.of("", "lock(L2)"), List.of("lock(L2)", ""), List.of("", "lock(L1)"))))
                : Map.of("count", 1 + i % 5);
        return new Finding(kind, severity, String.format("%016x", i * 2654435761L), kind + " number " + i + " in " + file,
                "Finding " + i + " of a large made-up report (" + needle(i) + ").", "Fix number " + i + ".",
                threads, sites, details);
    }

    private static List<Frame> frames(String cls, String method, String file, int line, int depth) {
        List<Frame> out = new ArrayList<>(depth);
        out.add(new Frame("java.util.concurrent.locks.ReentrantLock", "lock", "ReentrantLock.java", 322, false));
        out.add(new Frame(cls, method, file, line, true));
        for (int d = 2; d < depth; d++) {
            out.add(d % 3 == 0 ? new Frame(cls, "caller" + d, file, line + d, true)
                    : new Frame("java.lang.reflect.Method", "invoke", "Method.java", 580 + d, false));
        }
        return out;
    }
}
