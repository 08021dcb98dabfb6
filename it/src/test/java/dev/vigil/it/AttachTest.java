package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.ThreadLifetime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code attach <pid>} and {@code dump <pid>} against a service started without the agent: the
 * report says tracking started at attach, threads alive before it are pre-existing and never
 * findings, threads started after it are, and the service keeps running.
 */
class AttachTest {

    private static final String SERVICE = "dev.vigil.it.fixtures.LongRunningService";

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void attachThenDumpReportsOnlyWhatStartedAfterAttach(Jdk jdk) throws IOException {
        Path signal = work.resolve("go");
        ChildJvm service = ChildJvm.on(jdk, work.resolve("service")).withoutAgent()
                .classpath(Paths.testClasses().toString()).main(SERVICE, signal.toString());
        ChildJvm.Running running = service.start();
        try {
            running.awaitStdout("ready");
            String pid = Long.toString(running.process().pid());

            ChildJvm.Result attach = ChildJvm.agentCommand(jdk, work.resolve("attach"), "attach", pid,
                    "report=" + service.reportDir() + ",threadGrowth=3");
            assertThat(attach.exitCode()).as(attach.toString()).isZero();
            assertThat(attach.stdout()).isEqualTo("vigil: attached to pid " + pid + "; tracking starts now; reports in "
                    + service.reportDir() + "\n");

            Files.writeString(signal, "go");
            running.awaitStdout("late workers started");

            ChildJvm.Result dump = ChildJvm.agentCommand(jdk, work.resolve("dump"), "dump", pid);
            assertThat(dump.exitCode()).as(dump.toString()).isZero();
            assertThat(dump.stdout()).contains("vigil: pid " + pid + " wrote " + service.reportJson());

            Report report = running.awaitReport(r -> "on-demand".equals(r.run().trigger()));
            assertThat(running.process().isAlive()).as("dump does not stop the service").isTrue();
            assertThat(report.run().mode()).isEqualTo("attach");
            assertThat(report.run().pid()).isEqualTo(running.process().pid());
            assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();

            Finding growing = Findings.single(report, FindingKinds.THREAD_LEAK);
            assertThat(growing.details()).containsEntry("reason", "growing");
            assertThat(growing.primaryLocation()).isEqualTo("LongRunningService.java:" + markedLine("vigil:attach-site"));
            assertThat(growing.threads()).extracting(t -> t.name()).containsExactlyInAnyOrder("late-0", "late-1", "late-2");
            assertThat(report.threads()).filteredOn(t -> t.name().startsWith("early-"))
                    .extracting(ThreadLifetime::origin).containsExactly("pre-existing", "pre-existing", "pre-existing");
        } finally {
            running.kill();
        }
        if (jdk.name().equals("jdk25")) {
            // JDK 21+ warns about an agent loaded into a running JVM (JEP 451); docs/ci.md says how to silence it.
            assertThat(running.stderr()).contains("A Java agent has been loaded dynamically");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void dumpWithoutVigilAndAttachWithABadOptionFailClearly(Jdk jdk) {
        Path signal = work.resolve("go");
        ChildJvm.Running running = ChildJvm.on(jdk, work.resolve("service")).withoutAgent()
                .classpath(Paths.testClasses().toString()).main(SERVICE, signal.toString()).start();
        try {
            running.awaitStdout("ready");
            String pid = Long.toString(running.process().pid());

            ChildJvm.Result dump = ChildJvm.agentCommand(jdk, work.resolve("dump"), "dump", pid);
            assertThat(dump.exitCode()).as(dump.toString()).isEqualTo(1);
            assertThat(dump.stderr()).contains("vigil: pid " + pid + " does not run Vigil (start it: java -jar vigil-agent.jar attach " + pid + ")");

            ChildJvm.Result attach = ChildJvm.agentCommand(jdk, work.resolve("attach"), "attach", pid, "bogus=1");
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(attach.stderr()).as("one line").hasLineCount(1)
                    .startsWith("vigil: pid " + pid + " runs on without Vigil: bad agent option: unknown option 'bogus'");
            assertThat(attach.stdout()).isEmpty();
            assertThat(running.process().isAlive()).as("a bad option never stops a running program").isTrue();

            // Still no Vigil there: a good attach afterwards works.
            ChildJvm.Result good = ChildJvm.agentCommand(jdk, work.resolve("attach2"), "attach", pid,
                    "report=" + work.resolve("service").resolve("report"));
            assertThat(good.exitCode()).as(good.toString()).isZero();
        } finally {
            running.kill();
        }
        List<String> vigilLines = running.stderr().lines().filter(l -> l.startsWith("vigil")).toList();
        assertThat(vigilLines).as("the target's stderr: one line, no trace\n" + running.stderr()).singleElement()
                .asString().startsWith("vigil: bad agent option: unknown option 'bogus'");
        assertThat(running.stderr()).doesNotContain("ASSERTION FAILED", "Exception", "\tat ");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void attachingTwiceSaysVigilIsAlreadyRunningAndChangesNothing(Jdk jdk) throws IOException {
        Path signal = work.resolve("go");
        ChildJvm service = ChildJvm.on(jdk, work.resolve("service")).withoutAgent()
                .classpath(Paths.testClasses().toString()).main(SERVICE, signal.toString());
        ChildJvm.Running running = service.start();
        Path other = work.resolve("other-report");
        try {
            running.awaitStdout("ready");
            String pid = Long.toString(running.process().pid());
            ChildJvm.Result first = ChildJvm.agentCommand(jdk, work.resolve("attach"), "attach", pid,
                    "report=" + service.reportDir());
            assertThat(first.exitCode()).as(first.toString()).isZero();

            ChildJvm.Result second = ChildJvm.agentCommand(jdk, work.resolve("attach2"), "attach", pid, "report=" + other);
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(1);
            assertThat(second.stdout()).isEmpty();
            assertThat(second.stderr()).isEqualTo("vigil: pid " + pid + ": Vigil is already running in this JVM (loaded by"
                    + " attach, reports in " + service.reportDir() + "); this attach is ignored and its options are not"
                    + " applied\n");

            ChildJvm.Result bad = ChildJvm.agentCommand(jdk, work.resolve("attach3"), "attach", pid, "bogus=1");
            assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(1);
            assertThat(bad.stderr()).hasLineCount(1).startsWith("vigil: pid " + pid + ": bad agent option: unknown option"
                    + " 'bogus'").endsWith("; Vigil is already running in this JVM (loaded by attach, reports in "
                    + service.reportDir() + ") and is left as it was\n");

            ChildJvm.Result dump = ChildJvm.agentCommand(jdk, work.resolve("dump"), "dump", pid);
            assertThat(dump.exitCode()).as(dump.toString()).isZero();
            assertThat(dump.stdout()).contains("wrote " + service.reportJson());
            assertThat(running.awaitReport(r -> "on-demand".equals(r.run().trigger())).run().mode()).isEqualTo("attach");
            assertThat(other.resolve("vigil-report.json")).doesNotExist();
        } finally {
            running.kill();
        }
        assertThat(running.stderr()).doesNotContain("ASSERTION FAILED", "Exception", "\tat ");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void attachingToAJvmStartedWithVigilSaysSo(Jdk jdk) {
        Path signal = work.resolve("go");
        ChildJvm service = ChildJvm.on(jdk, work.resolve("service"))
                .classpath(Paths.testClasses().toString()).main(SERVICE, signal.toString());
        ChildJvm.Running running = service.start();
        try {
            running.awaitStdout("ready");
            String pid = Long.toString(running.process().pid());
            ChildJvm.Result attach = ChildJvm.agentCommand(jdk, work.resolve("attach"), "attach", pid,
                    "report=" + work.resolve("other"));
            assertThat(attach.exitCode()).as(attach.toString()).isEqualTo(1);
            assertThat(attach.stderr()).isEqualTo("vigil: pid " + pid + ": Vigil is already running in this JVM (loaded at"
                    + " startup, reports in " + service.reportDir() + "); this attach is ignored and its options are not"
                    + " applied\n");
        } finally {
            running.kill();
        }
    }

    private static int markedLine(String marker) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/dev/vigil/it/fixtures/LongRunningService.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line marked " + marker);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void locksHeldAtAttachTimeMakeNoFalseCycleAndNoError(Jdk jdk) throws IOException {
        Path signal = work.resolve("go");
        ChildJvm service = ChildJvm.on(jdk, work.resolve("service")).withoutAgent()
                .classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.LocksHeldAtAttach", signal.toString());
        ChildJvm.Running running = service.start();
        try {
            running.awaitStdout("holding");
            String pid = Long.toString(running.process().pid());
            ChildJvm.Result attach = ChildJvm.agentCommand(jdk, work.resolve("attach"), "attach", pid,
                    "report=" + service.reportDir());
            assertThat(attach.exitCode()).as(attach.toString()).isZero();

            Files.writeString(signal, "go");
            running.awaitStdout("done");
            ChildJvm.Result dump = ChildJvm.agentCommand(jdk, work.resolve("dump"), "dump", pid);
            assertThat(dump.exitCode()).as(dump.toString()).isZero();

            Report report = running.awaitReport(r -> "on-demand".equals(r.run().trigger()));
            assertThat(running.process().isAlive()).isTrue();
            assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
            assertThat(report.agent().instrumented()).contains("dev.vigil.it.fixtures.LocksHeldAtAttach");
            assertThat(Findings.ofKind(report, FindingKinds.LOCK_ORDER_CYCLE)).isEmpty();
            assertThat(Findings.ofKind(report, FindingKinds.DEADLOCK)).isEmpty();
        } finally {
            running.kill();
        }
    }
}
