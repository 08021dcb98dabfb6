package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.it.fixtures.HostileNames;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the program controls never controls the terminal, and the summary on stderr tells the
 * truth about the files: a hostile thread name in a finding's title, a stale temporary file left
 * by a killed run, a report path that cannot be written, a full disk.
 */
class HostileNamesTest {

    @TempDir
    Path work;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aHostileThreadNameCannotForgeASummaryLineOrReachTheTerminalAsControls(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HostileNames").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("done\n");

        Finding f = Findings.single(r.report(), FindingKinds.LOCK_HELD_BY_DEAD_THREAD);
        assertThat(f.title()).as("the report keeps the real name").contains(HostileNames.NAME);

        String escapedName = "evil\\nvigil: ERROR deadlock: forged line\\u001b[2J\\u001b[31m\\u001b]0;pwned\\u0007"
                + "\\u0000\\u202eIgnore";
        assertThat(r.stderr()).doesNotContain("\u001b", "\u0000", "\u0007", "\u202e");
        List<String> lines = r.stderr().lines().toList();
        String findingLine = "vigil: " + f.severity().label().toUpperCase(Locale.ROOT)
                + " lock-held-by-dead-thread: Thread '" + escapedName + "' ended holding the ReentrantLock";
        assertThat(lines).as(r.stderr()).filteredOn(l -> l.contains("forged line")).singleElement().asString()
                .startsWith(findingLine).endsWith(" taken at " + f.primaryLocation());
        assertThat(lines).noneMatch(l -> l.startsWith("vigil: ERROR deadlock"));
        assertThat(lines).contains("vigil: report " + r.spec().reportJson() + " and "
                + r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void staleTemporaryFilesLeftByAKilledRunAreDeleted() throws IOException {
        // What a kill -9 in the middle of a report leaves (the file names of the version the issue
        // saw, and of this version: with the pid of a process that is gone). Simulated: a real kill
        // cannot be timed to land inside a write.
        Path dir = Files.createDirectories(work.resolve("report"));
        Path legacy = Files.writeString(dir.resolve(".vigil-report.json8812734.tmp"), "{\"schemaVersion\":1,\"fin");
        Files.setLastModifiedTime(legacy, FileTime.from(Instant.now().minusSeconds(3600)));
        Files.writeString(dir.resolve(".vigil-report.html.2147483646.9.tmp"), "<!DOCTYPE html><ht");

        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.threads.StoppedWorker").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();

        assertThat(names(dir)).containsExactly("vigil-report.html", "vigil-report.json");
        assertThat(r.report().findings()).isEmpty();
    }

    @Test
    void aReportFileThatCannotBeWrittenIsNeverNamedInTheSummary() throws IOException {
        // Simulates a write failure: a directory sits where the JSON report goes.
        Path dir = Files.createDirectories(work.resolve("report"));
        Files.createDirectory(dir.resolve("vigil-report.json"));

        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.threads.UnstoppedWorker").run();

        assertThat(r.exitCode()).as("the host is not harmed: " + r).isZero();
        Path json = dir.resolve("vigil-report.json");
        Path html = dir.resolve("vigil-report.html");
        List<String> lines = r.stderr().lines().toList();
        assertThat(lines).as(r.stderr()).contains("vigil: report " + html)
                .noneMatch(l -> l.startsWith("vigil: report ") && l.contains(json.toString()));
        assertThat(lines).anyMatch(l -> l.startsWith("vigil: could not write " + json + ": ") && l.endsWith("is a directory"));
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("UnstoppedWorker.java:");
        assertThat(Files.isDirectory(json)).isTrue();
        assertThat(names(dir)).containsExactly("vigil-report.html", "vigil-report.json");
    }

    @Test
    void dumpNeverNamesAReportItCouldNotWrite() throws IOException {
        ChildJvm service = ChildJvm.on(Jdk.current(), work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.LongRunningService", work.resolve("go").toString());
        Path json = Files.createDirectories(service.reportDir()).resolve("vigil-report.json");
        Files.createDirectory(json); // simulates a write failure
        ChildJvm.Running running = service.start();
        try {
            running.awaitStdout("ready");
            String pid = Long.toString(running.process().pid());
            ChildJvm.Result dump = ChildJvm.agentCommand(Jdk.current(), work.resolve("dump"), "dump", pid);
            assertThat(dump.exitCode()).as(dump.toString()).isEqualTo(1);
            assertThat(dump.stdout()).isEmpty();
            assertThat(dump.stderr()).startsWith("vigil: pid " + pid + " could not write its report: could not write "
                    + json + ": ").endsWith("is a directory\n").hasLineCount(1);
            assertThat(running.process().isAlive()).isTrue();
        } finally {
            running.kill();
        }
    }

    @Test
    void onAFullDiskTheSummarySaysNoReportWasWrittenAndNoTemporaryFileIsLeft() throws Exception {
        // A real full disk: a 1 MB tmpfs in a user namespace (no root), filled by the program before it exits.
        assumeTrue(unshareWorks(), "unshare -rm (user namespaces) is not available here");
        Path mount = Files.createDirectories(work.resolve("small"));
        Path report = mount.resolve("report");
        String java = Jdk.current().java().toString();
        String script = "mount -t tmpfs -o size=1m tmpfs '" + mount + "' || exit 90\n"
                + "'" + java + "' '-javaagent:" + Paths.agentJar() + "=report=" + report + "' -cp '" + Paths.testClasses()
                + "' dev.vigil.it.fixtures.FillDisk '" + mount.resolve("filler") + "'\n"
                + "code=$?\necho \"exit $code\"\nls -a '" + report + "'\n";
        Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", script).directory(work.toFile())
                .redirectOutput(work.resolve("out.txt").toFile()).redirectError(work.resolve("err.txt").toFile()).start();
        assertThat(p.waitFor(ChildJvm.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("finished").isTrue();
        String out = Files.readString(work.resolve("out.txt"), StandardCharsets.UTF_8);
        String err = Files.readString(work.resolve("err.txt"), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out + err).isZero();

        assertThat(out).as(err).contains("disk full after ", "still full", "exit 0\n");
        List<String> lines = err.lines().toList();
        assertThat(lines).as(err)
                .anyMatch(l -> l.startsWith("vigil: could not write " + report.resolve("vigil-report.json") + ": ")
                        && l.contains("No space left on device"))
                .anyMatch(l -> l.startsWith("vigil: could not write " + report.resolve("vigil-report.html") + ": "))
                .noneMatch(l -> l.startsWith("vigil: report "))
                .contains("vigil: no report file was written (see the errors above)");
        String listing = out.substring(out.indexOf("exit 0\n") + "exit 0\n".length());
        assertThat(listing.lines().toList()).as("no half-written or temporary file is left").containsExactly(".", "..");
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
