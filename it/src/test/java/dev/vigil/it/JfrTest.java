package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Recordings;
import dev.vigil.it.support.Paths;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;
import org.openjdk.jmc.flightrecorder.internal.EventArray;
import org.openjdk.jmc.flightrecorder.internal.FlightRecordingLoader;
import org.openjdk.jmc.common.util.IPreferenceValueProvider;
import org.openjdk.jmc.flightrecorder.rules.IResult;
import org.openjdk.jmc.flightrecorder.rules.IRule;
import org.openjdk.jmc.flightrecorder.rules.RuleRegistry;
import org.openjdk.jmc.flightrecorder.rules.Severity;
import org.openjdk.jmc.flightrecorder.rules.report.JfrRulesReport;

/** Findings as JFR events, read with the JDK's parser, with JMC's parser and by JMC's rule engine. */
class JfrTest {

    private static final String LEAKY = "dev.vigil.examples.threads.UnstoppedWorker";

    @TempDir
    Path work;


    /** Runs the leaky example with a recording started on the command line, as docs/jfr.md shows. */
    private ChildJvm.Result recordLeakyExample(Jdk jdk, Path jfr, String extraJfcOptions) {
        ChildJvm child = ChildJvm.on(jdk, work).main(LEAKY)
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + extraJfcOptions + ",filename=" + jfr);
        ChildJvm.Result r = child.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(jfr).exists();
        return r;
    }


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void eachFindingIsAnEventWithItsFields(Jdk jdk) throws Exception {
        Path jfr = work.resolve("app.jfr");
        ChildJvm.Result r = recordLeakyExample(jdk, jfr, "");
        Finding live = Findings.single(r.report(), FindingKinds.THREAD_LEAK);

        List<RecordedEvent> leaks = Recordings.events(jfr, "vigil.ThreadLeak");
        assertThat(leaks).isNotEmpty();
        RecordedEvent last = leaks.get(leaks.size() - 1);
        assertThat(last.getString("kind")).isEqualTo("thread-leak");
        assertThat(last.getString("severity")).isEqualTo("warning");
        assertThat(last.getString("fingerprint")).isEqualTo(live.fingerprint());
        assertThat(last.getString("title")).isEqualTo(live.title());
        assertThat(last.getString("location")).isEqualTo(ExampleSource.expectedLocation(LEAKY, FindingKinds.THREAD_LEAK));
        assertThat(last.getString("siteStack")).contains("UnstoppedWorker$MetricsReporter.<init>(UnstoppedWorker.java:");
        assertThat(last.getString("threadName")).startsWith("metrics-");
        assertThat(last.getLong("threadId")).isPositive();
        assertThat(last.getInt("threadCount")).isEqualTo(3);
        Finding fromEvent = ReportJson.partFromJson(last.getString("findingJson"), Finding.class);
        assertThat(fromEvent.sites()).isEqualTo(live.sites());

        EventType type = last.getEventType();
        assertThat(type.getCategoryNames()).containsExactly("Vigil", "Findings");
        assertThat(type.getLabel()).isEqualTo("Thread Leak");
        assertThat(type.getDescription()).isNotBlank();
        for (ValueDescriptor field : type.getFields()) {
            assertThat(field.getLabel()).as("label of " + field.getName()).isNotBlank();
        }
        assertThat(type.getField("thread").getTypeName()).isEqualTo("java.lang.Thread");

        List<RecordedEvent> reports = Recordings.events(jfr, "vigil.Report");
        assertThat(reports).isNotEmpty();
        assertThat(reports.get(reports.size() - 1).getString("runJson")).contains("\"command\":\"" + LEAKY + "\"");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void reportCommandRebuildsTheLiveFindingsFromTheRecording(Jdk jdk) throws Exception {
        Path jfr = work.resolve("app.jfr");
        ChildJvm.Result r = recordLeakyExample(jdk, jfr, "");
        Path out = work.resolve("from-jfr");
        Process p = new ProcessBuilder(jdk.java().toString(), "-jar", Paths.agentJar().toString(), "report",
                jfr.toString(), "-o", out.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();

        Report rebuilt = ReportJson.read(out.resolve("vigil-report.json"));
        Report live = r.report();
        assertThat(rebuilt.schemaVersion()).isEqualTo(live.schemaVersion());
        assertThat(rebuilt.findings()).extracting(Finding::kind, Finding::fingerprint, Finding::severity, Finding::title,
                        Finding::sites, Finding::details)
                .containsExactlyElementsOf(live.findings().stream().map(f -> org.assertj.core.groups.Tuple.tuple(
                        f.kind(), f.fingerprint(), f.severity(), f.title(), f.sites(), f.details())).toList());
        assertThat(rebuilt.run().pid()).isEqualTo(live.run().pid());
        assertThat(rebuilt.agent().selfTest()).isEqualTo("passed");
        assertThat(out.resolve("vigil-report.html")).exists();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void agentStartsItsOwnRecordingWhenAsked(Jdk jdk) throws Exception {
        Path jfr = work.resolve("own-%p.jfr");
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("jfr=" + jfr).main(LEAKY).start();
        ChildJvm.Result r = child.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path file = work.resolve("own-" + child.process().pid() + ".jfr");
        assertThat(Recordings.events(file, "vigil.ThreadLeak")).isNotEmpty();
        assertThat(Recordings.events(file, "jdk.ThreadStart")).as("the JDK's default settings are on too").isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void lowLevelThreadEventsAreOffByDefaultAndOnWithTheControl(Jdk jdk) throws Exception {
        Path off = work.resolve("off.jfr");
        recordLeakyExample(jdk, off, "");
        assertThat(Recordings.events(off, "vigil.ThreadStart")).isEmpty();

        Path on = work.resolve("on.jfr");
        recordLeakyExample(jdk, on, ",vigil-low-level=true");
        List<RecordedEvent> starts = Recordings.events(on, "vigil.ThreadStart").stream()
                .filter(e -> e.getString("threadName").equals("metrics-alpha")).toList();
        assertThat(starts).singleElement().satisfies(e -> {
            assertThat(e.getString("location")).isEqualTo(ExampleSource.expectedLocation(LEAKY, FindingKinds.THREAD_LEAK));
            assertThat(e.getString("origin")).isEqualTo("application");
            assertThat(e.getStackTrace().getFrames()).anySatisfy(f ->
                    assertThat(f.getMethod().getType().getName()).isEqualTo(LEAKY + "$MetricsReporter"));
        });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void lowLevelTaskEventsAreOffByDefaultAndOnWithTheControl(Jdk jdk) throws Exception {
        String main = "dev.vigil.examples.executors.SharedExecutor";
        Path off = work.resolve("tasks-off.jfr");
        ChildJvm.Result quiet = ChildJvm.on(jdk, work.resolve("off")).main(main)
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + ",filename=" + off).run();
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(Recordings.events(off, "vigil.TaskSubmit")).isEmpty();
        assertThat(Recordings.events(off, "vigil.TaskEnd")).isEmpty();

        Path on = work.resolve("tasks-on.jfr");
        ChildJvm.Result r = ChildJvm.on(jdk, work.resolve("on")).main(main)
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + ",vigil-low-level=true,filename=" + on).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<RecordedEvent> submits = Recordings.events(on, "vigil.TaskSubmit");
        List<RecordedEvent> ends = Recordings.events(on, "vigil.TaskEnd");
        assertThat(submits).hasSize(20).allSatisfy(e -> {
            assertThat(e.getString("location")).startsWith("SharedExecutor.java:");
            assertThat(e.getString("executorType")).isEqualTo("java.util.concurrent.ThreadPoolExecutor");
            assertThat(e.getThread().getJavaName()).isEqualTo("main");
        });
        assertThat(ends).hasSize(20).allSatisfy(e -> {
            assertThat(e.getString("outcome")).isEqualTo("completed");
            assertThat(e.getThread().getJavaName()).startsWith("pool-1-thread-");
        });
        assertThat(ends.stream().map(e -> e.getLong("taskId")).toList())
                .containsExactlyInAnyOrderElementsOf(submits.stream().map(e -> e.getLong("taskId")).toList());
        // The same ids as the report's task timeline.
        assertThat(r.report().tasks()).extracting(dev.vigil.report.model.TaskLifetime::id)
                .containsExactlyInAnyOrderElementsOf(submits.stream().map(e -> e.getLong("taskId")).toList());
    }

    @Test
    void withoutARecordingTheAgentWritesNoJfrData() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work).jvmArg("-Djava.io.tmpdir=" + tmp).main(LEAKY).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Findings.single(r.report(), FindingKinds.THREAD_LEAK)).isNotNull();
        try (Stream<Path> all = Files.walk(work)) {
            assertThat(all.map(Path::toString)).noneMatch(p -> p.endsWith(".jfr") || p.endsWith(".jfr.part"));
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).as("no JFR repository was created").isEmpty();
        }
    }

    @Test
    void missionControlShowsTheEventsUnderTheVigilCategory() throws Exception {
        Path jfr = work.resolve("app.jfr");
        recordLeakyExample(Jdk.current(), jfr, "");
        EventArray leaks = null;
        try (InputStream in = Files.newInputStream(jfr)) {
            for (EventArray a : FlightRecordingLoader.loadStream(in, false, false).getArrays()) {
                if (a.getType().getIdentifier().equals("vigil.ThreadLeak")) {
                    leaks = a;
                }
            }
        }
        assertThat(leaks).as("JMC sees vigil.ThreadLeak").isNotNull();
        assertThat(leaks.getTypeCategory()).containsExactly("Vigil", "Findings");
        assertThat(leaks.getType().getName()).isEqualTo("Thread Leak");
        assertThat(leaks.getEvents()).isNotEmpty();
        List<String> attributes = leaks.getType().getAttributes().stream().map(IAttribute::getIdentifier).toList();
        assertThat(attributes).contains("fingerprint", "severity", "title", "location", "thread", "threadId",
                "threadName", "findingJson");
    }

    @Test
    void ruleShowsTheFindingOnTheAutomatedAnalysisPage() throws Exception {
        Path jfr = work.resolve("app.jfr");
        ChildJvm.Result r = recordLeakyExample(Jdk.current(), jfr, "");
        Finding live = Findings.single(r.report(), FindingKinds.THREAD_LEAK);

        IRule rule = RuleRegistry.getRules().stream().filter(x -> x.getId().equals("Vigil.ThreadLeak"))
                .findFirst().orElseThrow(() -> new AssertionError("rule pack not found through ServiceLoader"));
        IItemCollection items = JfrLoaderToolkit.loadEvents(jfr.toFile());
        var evaluation = rule.createEvaluation(items, IPreferenceValueProvider.DEFAULT_VALUES, null);
        evaluation.run();
        IResult result = evaluation.get();
        assertThat(result.getSeverity()).isEqualTo(Severity.WARNING);
        assertThat(result.getSummary()).contains(live.title());
        assertThat(result.getSolution()).isEqualTo(live.howToFix());

        IRule deadlocks = RuleRegistry.getRules().stream().filter(x -> x.getId().equals("Vigil.Deadlock"))
                .findFirst().orElseThrow();
        var ok = deadlocks.createEvaluation(items, IPreferenceValueProvider.DEFAULT_VALUES, null);
        ok.run();
        assertThat(ok.get().getSeverity()).isEqualTo(Severity.OK);

        // The headless report JMC ships, as a CI job would run it.
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            JfrRulesReport.main(new String[] {"-format", "text", "-min", "warning", jfr.toString()});
        } finally {
            System.setOut(stdout);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Vigil: thread leaks").contains(live.title());
    }

    @Test
    void settingsFileInTheJarIsTheDocumentedOne() throws Exception {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile());
             InputStream in = jar.getInputStream(jar.getEntry("vigil.jfc"))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(Files.readString(Path.of(System.getProperty("vigil.jfc"))));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aLockOrderCycleIsOneEventPerEdgeSharingACycleId(Jdk jdk) throws Exception {
        String example = "dev.vigil.examples.locks.OppositeOrder";
        Path jfr = work.resolve("locks.jfr");
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(example)
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + ",filename=" + jfr).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Finding live = Findings.single(r.report(), FindingKinds.LOCK_ORDER_CYCLE);

        List<RecordedEvent> edges = Recordings.events(jfr, "vigil.LockOrderCycle");
        assertThat(edges).hasSize(2);
        assertThat(edges).allSatisfy(e -> {
            assertThat(e.getString("cycleId")).isEqualTo(live.fingerprint());
            assertThat(e.getInt("edgeCount")).isEqualTo(2);
            assertThat(e.getString("fromLock")).isNotBlank().isNotEqualTo(e.getString("toLock"));
            assertThat(e.getString("edgeThreadName")).isNotBlank();
        });
        assertThat(edges).extracting(e -> e.getInt("edgeIndex")).containsExactlyInAnyOrder(0, 1);
        List<String> marked = ExampleSource.expectedLocations(example, FindingKinds.LOCK_ORDER_CYCLE);
        assertThat(edges).extracting(e -> List.of(e.getString("heldAt"), e.getString("takenAt")))
                .containsExactlyInAnyOrder(List.of(marked.get(0), marked.get(1)), List.of(marked.get(2), marked.get(3)));
        assertThat(edges).filteredOn(e -> e.getInt("edgeIndex") == 0).singleElement()
                .satisfies(e -> assertThat(e.getString("findingJson")).contains(live.fingerprint()));
        assertThat(edges).filteredOn(e -> e.getInt("edgeIndex") == 1).singleElement()
                .satisfies(e -> assertThat(e.getString("findingJson")).isNull());
        assertThat(edges.get(0).getEventType().getCategoryNames()).containsExactly("Vigil", "Findings");
    }
}
