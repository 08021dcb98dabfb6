package dev.vigil.report.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.report.SampleReports;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.SuppressedFinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suppressions, baseline and gate over the report model. */
class CiFilesTest {

    @TempDir
    Path dir;

    private final Report report = SampleReports.threadLeak();
    private final Finding leak = report.findings().get(0);

    private static Suppressions rules(String... lines) throws CiFileException {
        return Suppressions.parse(List.of(lines), "s.txt");
    }

    @Test
    void suppressByFingerprintKindAndFramePattern() throws Exception {
        assertThat(rules("fingerprint 0123456789abcdef").match(leak)).isEqualTo("s.txt:1: fingerprint 0123456789abcdef");
        assertThat(rules("# known", "", "kind thread-leak  # legacy").match(leak)).isEqualTo("s.txt:3: kind thread-leak");
        assertThat(rules("frame com.acme.Work?r.*").match(leak)).isEqualTo("s.txt:1: frame com.acme.Work?r.*");
        assertThat(rules("fingerprint ffffffffffffffff", "kind deadlock", "frame org.other.*").match(leak)).isNull();
    }

    @Test
    void malformedSuppressionsNameFileAndLine() {
        assertThatThrownBy(() -> rules("kind thread-leak", "kind thread-leeks"))
                .isInstanceOf(CiFileException.class)
                .hasMessageStartingWith("s.txt:2: unknown finding kind 'thread-leeks'; kinds: thread-leak, executor-leak");
        assertThatThrownBy(() -> rules("fingerprint 12ab"))
                .hasMessage("s.txt:1: '12ab' is not a fingerprint (16 hex digits, as in the report)");
        assertThatThrownBy(() -> rules("ignore everything"))
                .hasMessage("s.txt:1: unknown rule 'ignore'; use fingerprint, kind or frame");
        assertThatThrownBy(() -> rules("kind"))
                .hasMessage("s.txt:1: expected '<fingerprint|kind|frame> <value>', got 'kind'");
        assertThatThrownBy(() -> Suppressions.read(dir.resolve("missing.txt")))
                .hasMessage(dir.resolve("missing.txt") + ": no such file");
    }

    @Test
    void baselineWrittenFromAReportCoversItsFindingsOnly() throws Exception {
        Path file = dir.resolve("vigil-baseline.json");
        Baseline.write(report, file);
        assertThat(Files.readString(file)).contains("\"vigilBaseline\" : 1", "\"fingerprint\" : \"0123456789abcdef\"",
                "\"kind\" : \"thread-leak\"");
        Baseline baseline = Baseline.read(file);
        assertThat(baseline.size()).isEqualTo(1);

        Finding newOne = new Finding("thread-leak", Severity.ERROR, "fedcba9876543210", "new", null, null, null,
                leak.sites(), null);
        FindingFilter.Split split = new FindingFilter(Suppressions.none(), baseline).apply(List.of(leak, newOne));
        assertThat(split.kept()).containsExactly(newOne);
        assertThat(split.suppressed()).containsExactly(SuppressedFinding.of(leak, "baseline"));
    }

    @Test
    void malformedBaselineIsExplained() throws Exception {
        Path notJson = Files.writeString(dir.resolve("b.json"), "{oops");
        assertThatThrownBy(() -> Baseline.read(notJson)).isInstanceOf(CiFileException.class)
                .hasMessageStartingWith(notJson + ": not a Vigil baseline (malformed JSON");
        Path report = Files.writeString(dir.resolve("r.json"), "{\"schemaVersion\": 1}");
        assertThatThrownBy(() -> Baseline.read(report)).hasMessageContaining("not a Vigil baseline (expected")
                .hasMessageContaining("java -jar vigil-agent.jar baseline vigil-report.json -o r.json");
    }

    @Test
    void suppressionWinsOverBaselineAndNamesItsRule() throws Exception {
        Path file = dir.resolve("b.json");
        Baseline.write(report, file);
        FindingFilter.Split split = new FindingFilter(rules("kind thread-leak"), Baseline.read(file)).apply(report.findings());
        assertThat(split.kept()).isEmpty();
        assertThat(split.suppressed()).extracting(SuppressedFinding::reason).containsExactly("s.txt:1: kind thread-leak");
    }

    @Test
    void gateCountsFindingsAtOrAboveTheThreshold() {
        assertThat(Gate.failing(report, Severity.INFO)).containsExactly(leak);
        assertThat(Gate.failing(report, Severity.WARNING)).containsExactly(leak);
        assertThat(Gate.failing(report, Severity.ERROR)).isEmpty();
    }
}
