package dev.vigil.report.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadLifetime;
import dev.vigil.report.model.ThreadRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    @TempDir
    Path dir;

    static Report sample() {
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

    @Test
    void roundTripsEveryField() throws Exception {
        Report r = sample();
        Path file = dir.resolve("vigil-report.json");
        ReportJson.writeAtomically(r, file);
        assertThat(ReportJson.read(file)).isEqualTo(r);
    }

    @Test
    void topLevelShapeIsTheDocumentedOne() {
        String json = ReportJson.toJson(sample());
        assertThat(json).contains("\"schemaVersion\" : 1", "\"run\"", "\"findings\"", "\"agent\"", "\"threads\"",
                "\"class\" : \"com.acme.Worker\"", "\"severity\" : \"warning\"", "\"kind\" : \"thread-leak\"");
    }

    @Test
    void atomicReplaceLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("vigil-report.json");
        ReportJson.writeAtomically(sample(), file);
        ReportJson.writeAtomically(sample(), file);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFileIntact() throws IOException {
        Path file = dir.resolve("vigil-report.json");
        Files.writeString(file, "old");
        assertThatThrownBy(() -> AtomicFiles.replace(file, out -> {
            out.write("half".getBytes());
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(file)).isEqualTo("old");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void badInputGetsOneClearMessage() throws IOException {
        Path missing = dir.resolve("missing.json");
        assertThatThrownBy(() -> ReportJson.read(missing)).isInstanceOf(ReportFormatException.class)
                .hasMessage(missing + ": no such file");
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"schemaVersion\": 1, \"findings\": [");
        assertThatThrownBy(() -> ReportJson.read(broken)).hasMessageStartingWith(broken + ": not valid JSON: ");
        Path array = Files.writeString(dir.resolve("array.json"), "[]");
        assertThatThrownBy(() -> ReportJson.read(array)).hasMessage(array + ": not a Vigil report (expected a JSON object)");
        Path noVersion = Files.writeString(dir.resolve("nov.json"), "{\"findings\": []}");
        assertThatThrownBy(() -> ReportJson.read(noVersion)).hasMessage(noVersion + ": not a Vigil report (no integer schemaVersion)");
        Path future = Files.writeString(dir.resolve("future.json"), "{\"schemaVersion\": 99}");
        assertThatThrownBy(() -> ReportJson.read(future))
                .hasMessage(future + ": unsupported schemaVersion 99 (this Vigil reads version 1)");
        Path wrongType = Files.writeString(dir.resolve("wrong.json"), "{\"schemaVersion\": 1, \"findings\": 5}");
        assertThatThrownBy(() -> ReportJson.read(wrongType)).hasMessageStartingWith(wrongType + ": malformed Vigil report: ");
    }
}
