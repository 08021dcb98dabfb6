package dev.vigil.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
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

class ReportToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int render(String... args) {
        return ReportTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<String> filesInDir() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void rendersAValidReport() throws IOException {
        Path json = dir.resolve("r.json");
        ReportJson.writeAtomically(new Report(Report.SCHEMA_VERSION, null, List.of(), List.of(), null), json);
        Path html = dir.resolve("out.html");

        assertThat(render("render", json.toString(), "-o", html.toString())).isZero();
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("vigil: wrote " + html + "\n");
    }

    @Test
    void missingFileGetsOneLineAndExitOneAndNoOutput() throws IOException {
        Path html = dir.resolve("out.html");
        assertThat(render("render", dir.resolve("nope.json").toString(), "-o", html.toString())).isEqualTo(1);
        assertThat(errText()).isEqualTo("vigil: " + dir.resolve("nope.json") + ": no such file\n");
        assertThat(filesInDir()).isEmpty();
    }

    @Test
    void malformedJsonGetsOneLineAndLeavesAnExistingPageUntouched() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"findings\": [");
        Path html = dir.resolve("out.html");
        Files.writeString(html, "previous page");

        assertThat(render("render", json.toString(), "-o", html.toString())).isEqualTo(1);
        assertThat(errText()).startsWith("vigil: " + json + ": not valid JSON: ").hasLineCount(1);
        assertThat(Files.readString(html)).isEqualTo("previous page");
        assertThat(filesInDir()).containsExactly("out.html", "r.json");
    }

    @Test
    void unknownSchemaVersionIsNamed() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 99, \"findings\": []}");

        assertThat(render("render", json.toString(), "-o", dir.resolve("out.html").toString())).isEqualTo(1);
        assertThat(errText()).isEqualTo("vigil: " + json + ": unsupported schemaVersion 99 (this Vigil reads version "
                + Report.SCHEMA_VERSION + ")\n");
        assertThat(filesInDir()).containsExactly("r.json");
    }

    @Test
    void wrongUsageExitsTwo() {
        assertThat(render()).isEqualTo(2);
        assertThat(render("render")).isEqualTo(2);
        assertThat(render("render", "a.json", "--bogus")).isEqualTo(2);
        assertThat(errText()).contains("usage: render <vigil-report.json> [-o <vigil-report.html>]");
    }

    @Test
    void anEmptyFindingGetsOneLineAndExitOneAndNoPage() throws IOException {
        Path json = dir.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"findings\": [{}]}");

        assertThat(render("render", json.toString(), "-o", dir.resolve("out.html").toString())).isEqualTo(1);
        assertThat(errText()).isEqualTo("vigil: " + json + ": findings[0] has no kind (every finding needs kind, "
                + "severity, fingerprint, title and message)\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(filesInDir()).containsExactly("r.json");
    }

    @Test
    void neverWritesOverItsInput() throws IOException {
        Path json = dir.resolve("x.json");
        ReportJson.writeAtomically(new Report(Report.SCHEMA_VERSION, null, List.of(), List.of(), null), json);
        byte[] before = Files.readAllBytes(json);

        assertThat(render("render", json.toString(), "-o", json.toString())).isEqualTo(2);
        assertThat(render("render", json.toString(), "-o", dir.resolve(".").resolve("x.json").toString())).isEqualTo(2);
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), json);
        assertThat(render("render", link.toString(), "-o", json.toString())).isEqualTo(2);

        assertThat(errText()).startsWith("vigil: refusing to write " + json + ": it is the input " + json
                + " (choose another -o)\n").hasLineCount(3);
        assertThat(Files.readAllBytes(json)).isEqualTo(before);
        assertThat(filesInDir()).containsExactly("link.json", "x.json");
    }

    @Test
    void controlCharactersFromTheInputNeverReachTheTerminal() throws IOException {
        Path json = dir.resolve("r.json");
        // Jackson quotes the bad value in its message: the message is printed escaped.
        Files.writeString(json, "{\"schemaVersion\": 1, \"threads\": [{\"id\": \"7\\u001b]0;pwned\\u0007\\n\\u202e\"}]}");

        assertThat(render("render", json.toString(), "-o", dir.resolve("out.html").toString())).isEqualTo(1);
        assertThat(errText()).isEqualTo("vigil: " + json + ": malformed Vigil report: threads[0].id: Cannot deserialize "
                + "value of type `long` from String \"7\\u001b]0;pwned\\u0007\\n\\u202e\": not a valid `long` value\n");
    }

    @Test
    void anUnwritableOutputGetsOneLineNamingWhy() throws IOException {
        Path json = dir.resolve("r.json");
        ReportJson.writeAtomically(new Report(Report.SCHEMA_VERSION, null, List.of(), List.of(), null), json);
        Path taken = Files.createDirectory(dir.resolve("page.html"));

        assertThat(render("render", json.toString(), "-o", taken.toString())).isEqualTo(1);
        assertThat(errText()).isEqualTo("vigil: cannot write " + taken + ": is a directory\n");
        assertThat(filesInDir()).containsExactly("page.html", "r.json");
    }

    @Test
    void reportNeverWritesOverItsInput() throws IOException {
        Path json = dir.resolve("vigil-report.json");
        Files.writeString(json, "not a recording");

        assertThat(render("report", json.toString(), "-o", dir.toString())).isEqualTo(2);
        assertThat(errText()).isEqualTo("vigil: refusing to write " + json + ": it is the input " + json
                + " (choose another -o)\n");
        assertThat(Files.readString(json)).isEqualTo("not a recording");
        assertThat(filesInDir()).containsExactly("vigil-report.json");
    }
}
