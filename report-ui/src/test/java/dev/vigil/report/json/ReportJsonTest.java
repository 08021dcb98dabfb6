package dev.vigil.report.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.report.SampleReports;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportJsonTest {

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryField() throws Exception {
        Report r = SampleReports.threadLeak();
        Path file = dir.resolve("vigil-report.json");
        ReportJson.writeAtomically(r, file);
        assertThat(ReportJson.read(file)).isEqualTo(r);
    }

    @Test
    void topLevelShapeIsTheDocumentedOne() {
        String json = ReportJson.toJson(SampleReports.threadLeak());
        assertThat(json).contains("\"schemaVersion\" : 1", "\"run\"", "\"findings\"", "\"agent\"", "\"threads\"",
                "\"class\" : \"com.acme.Worker\"", "\"severity\" : \"warning\"", "\"kind\" : \"thread-leak\"");
    }

    @Test
    void atomicReplaceLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("vigil-report.json");
        ReportJson.writeAtomically(SampleReports.threadLeak(), file);
        ReportJson.writeAtomically(SampleReports.threadLeak(), file);
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
