package dev.vigil.it.support;

import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.workloads.load.LoadGen;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service of {@code workloads/} (a real server on a real framework) run in a child JVM under the
 * agent, the way an operator runs it: wait for its {@code READY port=N} line, put load on it over
 * loopback, stop it with SIGTERM. Every report the agent writes meanwhile is captured as it appears
 * (the file is replaced, so a periodic or main-returned report would otherwise be lost by exit).
 */
public record Workload(String name, String mainClass, String bugsClass, List<LoadGen.Call> load,
        List<LoadGen.Call> bugCalls) {

    /** The Spring Boot service, run from its repackaged jar through Boot's own launcher. */
    public static final Workload SPRING = new Workload("springService", "org.springframework.boot.loader.launch.JarLauncher",
            "dev.vigil.workloads.spring.PlantedBugs", List.of(
                    LoadGen.Call.parse("GET /items/{i}"),
                    LoadGen.Call.parse("POST /orders {\"itemId\":{i},\"quantity\":1}"),
                    LoadGen.Call.parse("GET /report")), List.of(
                    LoadGen.Call.parse("GET /bugs/price/1/2"),
                    LoadGen.Call.parse("GET /bugs/price/3/4"),
                    LoadGen.Call.parse("GET /bugs/price/5/6"),
                    LoadGen.Call.parse("POST /bugs/sell"),
                    LoadGen.Call.parse("POST /bugs/refund")));

    /** The Jetty 12 server (its libraries come through the jar's manifest class path). */
    public static final Workload JETTY = new Workload("jettyService", "dev.vigil.workloads.jetty.JettyService",
            "dev.vigil.workloads.jetty.PlantedBugs", List.of(
                    LoadGen.Call.parse("GET /hello"),
                    LoadGen.Call.parse("GET /sum?n={i}000"),
                    LoadGen.Call.parse("POST /echo {\"n\":{i}}"),
                    LoadGen.Call.parse("GET /stats")), List.of(
                    LoadGen.Call.parse("GET /bugs/lookup"),
                    LoadGen.Call.parse("GET /bugs/lookup"),
                    LoadGen.Call.parse("GET /bugs/lookup"),
                    LoadGen.Call.parse("GET /bugs/login"),
                    LoadGen.Call.parse("GET /bugs/logout")));

    /**
     * Longest wait for READY. Today the agent makes a Spring Boot start-up several times slower
     * (seen: about a minute on a loaded 2-core machine), so this is well above ChildJvm.TIMEOUT.
     */
    public static final Duration STARTUP = Duration.ofSeconds(150);

    /** Longest wait for an exit after SIGTERM, and for a report to appear. */
    public static final Duration STOP = Duration.ofSeconds(60);

    private static final Pattern READY = Pattern.compile("READY port=(\\d+)");

    /** Starts the service under the agent with {@code agentOptions}; {@code bugs} serves its planted bugs. */
    public Running start(Jdk jdk, Path work, String agentOptions, boolean bugs, String... jvmArgs) {
        ChildJvm spec = ChildJvm.on(jdk, work).classpath(Paths.workloadJar(name).toString())
                .agentOptions(agentOptions).main(mainClass);
        if (bugs) {
            spec.jvmArg("-Dworkload.bugs=true");
        }
        for (String arg : jvmArgs) {
            spec.jvmArg(arg);
        }
        ChildJvm.Running child = spec.start();
        Running running = new Running(this, spec, child, work.resolve("captured"));
        running.watch();
        return running;
    }

    /** {@code File.java:N} of every line of the planted bugs marked {@code vigil:expect kind}, in file order. */
    public List<String> markedLines(String kind) {
        return ExampleSource.expectedLocations(Paths.workloadSource(name), bugsClass, kind);
    }

    /** A running service and the reports it has written so far. */
    public static final class Running implements AutoCloseable {
        private final Workload workload;
        private final ChildJvm spec;
        private final ChildJvm.Running child;
        private final Path captured;
        private final Map<String, Report> lastByTrigger = new LinkedHashMap<>();
        private final List<String> brokenReports = new ArrayList<>();
        private Thread watcher;
        private volatile boolean watching = true;
        private int port = -1;

        Running(Workload workload, ChildJvm spec, ChildJvm.Running child, Path captured) {
            this.workload = workload;
            this.spec = spec;
            this.child = child;
            this.captured = captured;
        }

        /** Polls the report file (every 50 ms) and keeps, and copies, the last report of each trigger. */
        private void watch() {
            watcher = new Thread(() -> {
                String lastEnd = null;
                while (watching) {
                    lastEnd = capture(lastEnd);
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "report-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        private String capture(String lastEnd) {
            Path file = spec.reportJson();
            if (!Files.exists(file)) {
                return lastEnd;
            }
            try {
                byte[] bytes = Files.readAllBytes(file);
                Report r = ReportJson.parse(bytes, file.toString());
                String key = r.run().trigger() + "@" + r.run().end();
                if (!key.equals(lastEnd)) {
                    synchronized (lastByTrigger) {
                        lastByTrigger.put(r.run().trigger(), r);
                    }
                    Files.createDirectories(captured);
                    Files.write(captured.resolve(r.run().trigger() + ".json"), bytes);
                }
                return key;
            } catch (ReportFormatException e) {
                synchronized (lastByTrigger) {
                    brokenReports.add(e.getMessage());
                }
                return lastEnd;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Waits for {@code READY port=N} (at most {@link #STARTUP}) and returns N. */
        public int awaitReady() {
            child.awaitStdout("READY port=", STARTUP);
            Matcher m = READY.matcher(child.stdout());
            if (!m.find()) {
                // The line may be half written: wait for its end.
                child.awaitStdout("\n", STARTUP);
                m = READY.matcher(child.stdout());
                m.find();
            }
            port = Integer.parseInt(m.group(1));
            return port;
        }

        public int port() {
            return port;
        }

        /** A short bounded load: {@code requests} requests from 4 clients, at most 60 s, no warm-up. */
        public LoadGen.Result load(long requests) {
            return send(workload.load(), requests);
        }

        /** Sends the planted bugs' requests in turn, from one client, once each (no two at once: no deadlock). */
        public void hitBugs() {
            for (LoadGen.Call call : workload.bugCalls()) {
                LoadGen.Result r = send(List.of(call), 1, 1);
                if (r.errors() > 0 || r.requests() != 1) {
                    throw new AssertionError(call + " failed: " + r.toJson() + "\nstderr:\n" + child.stderr());
                }
            }
        }

        private LoadGen.Result send(List<LoadGen.Call> calls, long requests) {
            return send(calls, requests, 4);
        }

        private LoadGen.Result send(List<LoadGen.Call> calls, long requests, int clients) {
            try {
                return LoadGen.run(LoadGen.Config.of(port, calls).clients(clients).duration(Duration.ofSeconds(60))
                        .warmup(Duration.ZERO).requests(requests));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /**
         * Waits (at most {@link #STOP}) until a report of one of {@code triggers} written after
         * {@code after} was seen. (Once {@code main} has returned and non-daemon threads keep the
         * JVM up, as Spring Boot's do, the agent's interval reports say {@code exit-blocked}.)
         */
        public Report awaitReport(Instant after, String... triggers) {
            List<String> wanted = List.of(triggers);
            return awaitCaptured(r -> wanted.contains(r.run().trigger()) && Instant.parse(r.run().end()).isAfter(after),
                    String.join(" or ", wanted) + " report after " + after);
        }

        private Report awaitCaptured(Predicate<Report> condition, String what) {
            long deadline = System.nanoTime() + STOP.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lastByTrigger) {
                    for (Report r : lastByTrigger.values()) {
                        if (condition.test(r)) {
                            return r;
                        }
                    }
                }
                if (!child.process().isAlive()) {
                    break;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("no " + what + " within " + STOP + " (seen: " + triggers() + ")\nstderr:\n"
                    + child.stderr());
        }

        /** SIGTERM (what an orchestrator sends), then waits for the exit; the exit report is then captured too. */
        public ChildJvm.Result terminate() {
            child.process().destroy();
            ChildJvm.Result r = child.awaitExit(STOP);
            watching = false;
            try {
                watcher.join(STOP.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            capture(null);
            return r;
        }

        /** The last report seen of each trigger ({@code periodic}, {@code exit-blocked}, {@code exit}...). */
        public Map<String, Report> reports() {
            synchronized (lastByTrigger) {
                return new LinkedHashMap<>(lastByTrigger);
            }
        }

        /** Report files that could not be read as a whole report (the contract says there are none). */
        public List<String> brokenReports() {
            synchronized (lastByTrigger) {
                return List.copyOf(brokenReports);
            }
        }

        private String triggers() {
            synchronized (lastByTrigger) {
                return String.join(", ", lastByTrigger.keySet());
            }
        }

        public String stderr() {
            return child.stderr();
        }

        /** Each finding as {@code kind severity: title}, for messages. */
        public static List<String> describe(Report r) {
            return r.findings().stream().map(Workload.Running::describe).toList();
        }

        private static String describe(Finding f) {
            return f.kind() + " " + f.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + f.title();
        }

        @Override
        public void close() {
            watching = false;
            if (child.process().isAlive()) {
                child.kill();
            }
        }
    }
}
