package dev.vigil.report.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.json.ReportJson;
import dev.vigil.report.SampleReports;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportToolTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ReportTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void rendersAReport() throws Exception {
        Path json = dir.resolve("vigil-report.json");
        ReportJson.writeAtomically(SampleReports.threadLeak(), json);
        Path html = dir.resolve("page.html");
        assertThat(run("render", json.toString(), "-o", html.toString())).isZero();
        assertThat(Files.readString(html)).contains("<!DOCTYPE html>", "Worker.java:21");
    }

    @Test
    void brokenInputFailsWithOneLineAndWritesNothing() throws Exception {
        Path json = Files.writeString(dir.resolve("vigil-report.json"), "{not json");
        Path html = dir.resolve("page.html");
        assertThat(run("render", json.toString(), "-o", html.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement()
                .asString().startsWith("vigil: " + json + ": not valid JSON");
        assertThat(html).doesNotExist();
    }

    @Test
    void missingInputFails() {
        assertThat(run("render", dir.resolve("nope.json").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
    }

    @Test
    void wrongUsage() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("paint", "x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: render");
    }
}
