package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar vigil-agent.jar render ...}, the way a user runs it. */
class RenderCommandTest {

    @TempDir
    Path work;

    record Run(int exit, String out, String err) {
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Jdk.current().java().toString(), "-jar", Paths.agentJar().toString()));
        cmd.addAll(List.of(args));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(ChildJvm.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("render did not finish within " + ChildJvm.TIMEOUT);
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private List<String> htmlFiles() throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".html")).toList();
        }
    }

    @Test
    void rendersTheReportOfARealRun() throws Exception {
        ChildJvm.Result child = ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.threads.UnstoppedWorker").run();
        assertThat(child.exitCode()).as(child.toString()).isZero();
        Path html = work.resolve("page.html");

        Run r = jar("render", child.spec().reportJson().toString(), "-o", html.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("vigil: wrote " + html + "\n");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>")
                .contains("UnstoppedWorker.java:28", "<meta http-equiv=\"Content-Security-Policy\"");
    }

    @Test
    void brokenInputGetsOneLineAndExitOneAndNoPage() throws Exception {
        Path bad = work.resolve("bad.json");
        Files.writeString(bad, "{\"schemaVersion\": 1, \"findings\": [{");
        Path newer = work.resolve("newer.json");
        Files.writeString(newer, "{\"schemaVersion\": 2}");

        for (String input : List.of(bad.toString(), newer.toString(), work.resolve("missing.json").toString())) {
            Run r = jar("render", input, "-o", work.resolve("page.html").toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).startsWith("vigil: " + input + ": ").hasLineCount(1);
            assertThat(r.out()).isEmpty();
        }
        assertThat(htmlFiles()).as("no page, not even a temporary one").isEmpty();
    }

    @Test
    void anEmptyFindingIsOneLineForEveryCommandAndWritesNothing() throws Exception {
        Path json = work.resolve("r.json");
        Files.writeString(json, "{\"schemaVersion\": 1, \"findings\": [{}]}");
        String expected = "vigil: " + json + ": findings[0] has no kind (every finding needs kind, severity, fingerprint,"
                + " title and message)\n";
        for (String[] cmd : List.of(new String[] {"render", json.toString(), "-o", "page.html"},
                new String[] {"sarif", json.toString(), "-o", "r.sarif"},
                new String[] {"baseline", json.toString(), "-o", "b.json"})) {
            Run r = jar(cmd);
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).isEqualTo(expected);
            assertThat(r.out()).isEmpty();
        }
        try (Stream<Path> s = Files.list(work)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("err.txt", "out.txt", "r.json");
        }
    }

    @Test
    void neverReplacesItsInput() throws Exception {
        ChildJvm.Result child = ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.threads.UnstoppedWorker").run();
        Path json = child.spec().reportJson();
        byte[] before = Files.readAllBytes(json);

        for (String command : List.of("render", "sarif", "baseline")) {
            Run r = jar(command, json.toString(), "-o", json.toString());
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("vigil: refusing to write " + json + ": it is the input " + json
                    + " (choose another -o)\n");
        }
        assertThat(Files.readAllBytes(json)).isEqualTo(before);
    }

    @Test
    void withoutACommandPrintsUsageAndExitsTwo() throws Exception {
        Run none = jar();
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("-javaagent:vigil-agent.jar", "render <vigil-report.json> [-o <vigil-report.html>]");
        Run unknown = jar("frobnicate");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("vigil: unknown command 'frobnicate'\n");
    }
}
