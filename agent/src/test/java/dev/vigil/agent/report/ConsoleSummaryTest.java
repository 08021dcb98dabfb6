package dev.vigil.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsoleSummaryTest {

    private static Report report(String title, String selfTest) {
        Finding f = new Finding("thread-leak", Severity.WARNING, "0123456789abcdef", title, "m", null,
                List.of(), List.of(), Map.of());
        return new Report(Report.SCHEMA_VERSION, null, List.of(f), List.of(),
                new AgentInfo("1", 0, List.of(), List.of(), selfTest, "bootstrap", Map.of()));
    }

    @Test
    void aHostileTitleStaysOnItsOwnLineAndPrintsNoControl() {
        String name = "w\nvigil: ERROR deadlock: forged\u001b[2J\u001b]0;pwned\u0007\u0000\u202eIgnore";
        List<String> lines = ConsoleSummary.lines(report("1 thread '" + name + "' started at A.java:3", "passed"),
                Path.of("r/vigil-report.json"), Path.of("r/vigil-report.html"));

        assertThat(lines).hasSize(3);
        assertThat(lines.get(1)).isEqualTo("vigil: WARNING thread-leak: 1 thread 'w\\nvigil: ERROR deadlock: forged"
                + "\\u001b[2J\\u001b]0;pwned\\u0007\\u0000\\u202eIgnore' started at A.java:3");
        assertThat(String.join("\n", lines)).doesNotContain("\u001b", "\u0000", "\u0007", "\u202e")
                .containsOnlyOnce("vigil: ERROR");
        assertThat(lines.get(2)).isEqualTo("vigil: report r/vigil-report.json and r/vigil-report.html");
    }

    @Test
    void aHostileSelfTestMessageIsEscapedToo() {
        List<String> lines = ConsoleSummary.lines(report("t", "failed: \u001b[31mboom\n"), Path.of("a.json"), null);
        assertThat(lines.get(0)).endsWith("; self-test: failed: \\u001b[31mboom\\n");
    }

    @Test
    void namesOnlyTheFilesThatWereWritten() {
        Report r = report("t", "passed");
        assertThat(ConsoleSummary.lines(r, null, Path.of("d/vigil-report.html")))
                .last().isEqualTo("vigil: report d/vigil-report.html");
        assertThat(ConsoleSummary.lines(r, Path.of("d/vigil-report.json"), null))
                .last().isEqualTo("vigil: report d/vigil-report.json");
        assertThat(ConsoleSummary.lines(r, null, null))
                .last().isEqualTo("vigil: no report file was written (see the errors above)");
    }
}
