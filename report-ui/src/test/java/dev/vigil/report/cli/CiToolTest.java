package dev.vigil.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.SampleReports;
import dev.vigil.report.json.ReportJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CiToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CiTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void baselineAndSarifRejectAFindingWithoutAFingerprint() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"findings\": [{\"kind\": \"deadlock\", \"severity\": \"error\","
                + " \"title\": \"t\", \"message\": \"m\"}]}");
        String expected = "vigil: " + json + ": findings[0] has no fingerprint (every finding needs kind, severity,"
                + " fingerprint, title and message)\n";

        assertThat(run("baseline", json.toString(), "-o", dir.resolve("b.json").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        err.reset();
        assertThat(run("sarif", json.toString(), "-o", dir.resolve("r.sarif").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(files()).containsExactly("r.json");
    }

    @Test
    void anEmptyFindingIsOneLineForSarifToo() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"findings\": [{}]}");
        assertThat(run("sarif", json.toString(), "-o", dir.resolve("r.sarif").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vigil: " + json + ": findings[0] has no kind")
                .hasLineCount(1);
        assertThat(files()).containsExactly("r.json");
    }

    @Test
    void neverWritesOverItsInput() throws IOException {
        Path json = dir.resolve("r.json");
        ReportJson.writeAtomically(SampleReports.threadLeak(), json);
        byte[] before = Files.readAllBytes(json);

        assertThat(run("baseline", json.toString(), "-o", json.toString())).isEqualTo(2);
        assertThat(run("sarif", json.toString(), "--output", json.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                ("vigil: refusing to write " + json + ": it is the input " + json + " (choose another -o)\n").repeat(2));
        assertThat(Files.readAllBytes(json)).isEqualTo(before);
        assertThat(files()).containsExactly("r.json");
    }

    @Test
    void aValidReportStillMakesBoth() throws IOException {
        Path json = dir.resolve("r.json");
        ReportJson.writeAtomically(SampleReports.threadLeak(), json);
        assertThat(run("baseline", json.toString(), "-o", dir.resolve("b.json").toString())).isZero();
        assertThat(run("sarif", json.toString(), "-o", dir.resolve("r.sarif").toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("vigil: wrote " + dir.resolve("b.json")
                + " (1 known findings)\nvigil: wrote " + dir.resolve("r.sarif") + " (1 results)\n");
        assertThat(Files.readString(dir.resolve("b.json"))).contains("\"fingerprint\" : \"0123456789abcdef\"")
                .doesNotContain("null");
    }
}
