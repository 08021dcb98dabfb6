package dev.vigil.report.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.report.SampleReports;
import dev.vigil.report.cli.CiTool;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SarifTest {

    @TempDir
    Path dir;

    @Test
    void ruleIdsAreKindsLocationsAreSitesFingerprintsArePartial() {
        JsonNode sarif = Sarif.toSarif(SampleReports.threadLeak(), java.util.List.of(), dir);
        assertThat(sarif.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = sarif.get("runs").get(0);
        assertThat(run.at("/tool/driver/name").asText()).isEqualTo("Vigil");
        assertThat(run.at("/tool/driver/rules/0/id").asText()).isEqualTo("thread-leak");
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("thread-leak");
        assertThat(result.get("level").asText()).isEqualTo("warning");
        assertThat(result.at("/message/text").asText()).startsWith("1 thread started at Worker.java:21");
        assertThat(result.at("/locations/0/physicalLocation/artifactLocation/uri").asText()).isEqualTo("Worker.java");
        assertThat(result.at("/locations/0/physicalLocation/region/startLine").asInt()).isEqualTo(21);
        assertThat(result.at("/partialFingerprints/vigil~1v1").asText()).isEqualTo("0123456789abcdef");
    }

    @Test
    void sourceRootMakesTheUriRepositoryRelative() throws Exception {
        Path src = dir.resolve("svc/src/main/java");
        Files.createDirectories(src.resolve("com/acme"));
        Files.writeString(src.resolve("com/acme/Worker.java"), "class Worker {}");
        JsonNode sarif = Sarif.toSarif(SampleReports.threadLeak(), java.util.List.of(src), dir);
        assertThat(sarif.at("/runs/0/results/0/locations/0/physicalLocation/artifactLocation/uri").asText())
                .isEqualTo("svc/src/main/java/com/acme/Worker.java");
    }

    @Test
    void commandsWriteSarifAndBaselineFromAReportFile() throws Exception {
        Path json = dir.resolve("vigil-report.json");
        dev.vigil.report.json.ReportJson.writeAtomically(SampleReports.threadLeak(), json);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path sarif = dir.resolve("out.sarif");
        int code = CiTool.run(new String[] {"sarif", json.toString(), "-o", sarif.toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).as(err.toString()).isZero();
        assertThat(new ObjectMapper().readTree(sarif.toFile()).at("/runs/0/results/0/ruleId").asText()).isEqualTo("thread-leak");

        Path baseline = dir.resolve("vigil-baseline.json");
        code = CiTool.run(new String[] {"baseline", json.toString(), "-o", baseline.toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isZero();
        assertThat(Baseline.read(baseline).size()).isEqualTo(1);

        code = CiTool.run(new String[] {"baseline", dir.resolve("nope.json").toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("nope.json: no such file");
    }
}
