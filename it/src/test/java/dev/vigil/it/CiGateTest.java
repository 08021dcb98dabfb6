package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.SuppressedFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CI gate on the packaged agent: {@code failOn} turns findings into exit status 3 after the
 * report is written; suppressions and a baseline written by the {@code baseline} command let the
 * same run pass; {@code sarif} turns the report into code-scanning results.
 */
class CiGateTest {

    private static final String LEAKY = "dev.vigil.examples.threads.UnstoppedWorker";
    private static final String CLEAN = "dev.vigil.examples.threads.StoppedWorker";

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void failOnExitsWithStatusThreeAfterWritingTheReport(Jdk jdk) throws Exception {
        Path jfr = work.resolve("leaky.jfr");
        ChildJvm.Result r = ChildJvm.on(jdk, work.resolve("leaky")).agentOptions("failOn=warning,jfr=" + jfr)
                .main(LEAKY).run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        // The halt waited for JFR's own shutdown hook: the recording is whole and has the finding.
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(jfr)) {
            boolean leakEvent = false;
            while (f.hasMoreEvents()) {
                leakEvent |= f.readEvent().getEventType().getName().equals("vigil.ThreadLeak");
            }
            assertThat(leakEvent).as("vigil.ThreadLeak in " + jfr).isTrue();
        }
        assertThat(r.stdout()).isEqualTo("processed 3 tenants\n");
        assertThat(r.stderr()).contains("vigil: WARNING thread-leak: 3 threads started at UnstoppedWorker.java:",
                "vigil: failOn=warning: 1 finding at or above warning; exit status 3");
        assertThat(Findings.single(r.report(), FindingKinds.THREAD_LEAK).severity().label()).isEqualTo("warning");

        ChildJvm.Result errorOnly = ChildJvm.on(jdk, work.resolve("error-only")).agentOptions("failOn=error").main(LEAKY).run();
        assertThat(errorOnly.exitCode()).as("a warning does not fail failOn=error").isZero();
        ChildJvm.Result clean = ChildJvm.on(jdk, work.resolve("clean")).agentOptions("failOn=info").main(CLEAN).run();
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void suppressionsAndBaselineLetKnownFindingsPass(Jdk jdk) throws Exception {
        Path rules = Files.writeString(work.resolve("vigil-suppressions.txt"),
                "# the metrics reporter is replaced next quarter\nframe dev.vigil.examples.threads.UnstoppedWorker$MetricsReporter.<init>\n");
        ChildJvm.Result suppressed = ChildJvm.on(jdk, work.resolve("suppressed"))
                .agentOptions("failOn=info,suppress=" + rules).main(LEAKY).run();
        assertThat(suppressed.exitCode()).as(suppressed.toString()).isZero();
        Report report = suppressed.report();
        assertThat(report.findings()).isEmpty();
        assertThat(report.suppressed()).extracting(SuppressedFinding::kind, SuppressedFinding::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("thread-leak",
                        "vigil-suppressions.txt:2: frame dev.vigil.examples.threads.UnstoppedWorker$MetricsReporter.<init>"));

        // Adopt Vigil on a code base with a known leak: baseline it from a report, then fail only on new ones.
        ChildJvm.Result first = ChildJvm.on(jdk, work.resolve("first")).main(LEAKY).run();
        Path baseline = work.resolve("vigil-baseline.json");
        ChildJvm.Result written = ChildJvm.agentCommand(jdk, work.resolve("baseline"), "baseline", first.spec().reportJson().toString(),
                "-o", baseline.toString());
        assertThat(written.exitCode()).as(written.toString()).isZero();
        ChildJvm.Result again = ChildJvm.on(jdk, work.resolve("again"))
                .agentOptions("failOn=info,baseline=" + baseline).main(LEAKY).run();
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.report().suppressed()).extracting(SuppressedFinding::reason).containsExactly("baseline");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void malformedSuppressionsFileStopsTheJvmBeforeMain(Jdk jdk) throws Exception {
        Path rules = Files.writeString(work.resolve("rules.txt"), "kind thread-leaks\n");
        ChildJvm.Result r = ChildJvm.on(jdk, work.resolve("bad")).agentOptions("suppress=" + rules).main(CLEAN).run();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        assertThat(r.stderr().lines().filter(l -> !l.isBlank()).toList()).singleElement().asString()
                .startsWith("vigil: bad agent option: option 'suppress': rules.txt:1: unknown finding kind 'thread-leaks'");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void sarifCommandPointsAtTheStartSite(Jdk jdk) throws Exception {
        ChildJvm.Result run = ChildJvm.on(jdk, work.resolve("run")).main(LEAKY).run();
        Finding leak = Findings.single(run.report(), FindingKinds.THREAD_LEAK);
        Path sarif = work.resolve("vigil.sarif");
        ChildJvm.Result r = ChildJvm.agentCommand(jdk, work.resolve("sarif"), "sarif", run.spec().reportJson().toString(), "-o", sarif.toString(),
                "--source-root", Paths.examplesSource().toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();

        JsonNode result = new ObjectMapper().readTree(sarif.toFile()).at("/runs/0/results/0");
        assertThat(result.get("ruleId").asText()).isEqualTo("thread-leak");
        assertThat(result.at("/partialFingerprints/vigil~1v1").asText()).isEqualTo(leak.fingerprint());
        String line = leak.primaryLocation().substring(leak.primaryLocation().indexOf(':') + 1);
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asText()).isEqualTo(line);
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText())
                .endsWith("dev/vigil/examples/threads/UnstoppedWorker.java");
    }
}
