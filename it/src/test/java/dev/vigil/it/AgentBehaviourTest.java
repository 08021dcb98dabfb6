package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.ThreadLifetime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent is installed correctly and never changes what the host does. */
class AgentBehaviourTest {

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void programBehavesExactlyAsWithoutTheAgent(Jdk jdk) {
        String cp = Paths.testClasses().toString();
        ChildJvm.Result plain = ChildJvm.on(jdk, work.resolve("plain")).withoutAgent().classpath(cp)
                .main("dev.vigil.it.fixtures.Transparent").run();
        ChildJvm.Result agent = ChildJvm.on(jdk, work.resolve("agent")).classpath(cp)
                .main("dev.vigil.it.fixtures.Transparent").run();

        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(3);
        assertThat(agent.exitCode()).as(agent.toString()).isEqualTo(3);
        assertThat(agent.stdout()).isEqualTo(plain.stdout());
        assertThat(agent.stderrWithoutVigil()).isEqualTo(plain.stderrWithoutVigil());
        assertThat(agent.stdout()).contains("squares 0 1 4 9", "uncaught in failing", "second start rejected", "from pool");
        assertThat(agent.report().agent().internalErrors()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void hookClassesAreLoadedByTheBootstrapLoader(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HookLoader").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("loader=null\n");
        assertThat(r.report().agent().hooksClassLoader()).isEqualTo("bootstrap");
        assertThat(r.report().agent().selfTest()).isEqualTo("passed");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void theBootstrapJarIsGoneFromTheTempDirectoryWhileTheProgramRuns(Jdk jdk) throws Exception {
        // Deleted right after install, so even a JVM killed with SIGKILL leaves nothing behind.
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .jvmArg("-Djava.io.tmpdir=" + tmp).main("dev.vigil.it.fixtures.TempFiles").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).contains("files=[]", "loader=null");
        assertThat(r.report().agent().selfTest()).isEqualTo("passed");
        assertThat(r.report().agent().internalErrors()).isZero();
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void agentThreadsAreRecordedAsVigilAndNeverFlagged(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main("dev.vigil.examples.threads.StoppedWorker").run();

        Report report = r.report();
        assertThat(report.threads()).filteredOn(t -> t.name().equals("vigil-scheduler"))
                .singleElement().extracting(ThreadLifetime::origin).isEqualTo("vigil");
        assertThat(report.threads()).filteredOn(t -> t.name().equals("main"))
                .singleElement().extracting(ThreadLifetime::origin).isEqualTo("pre-existing");
        // The self-test's pool ran a task on its own worker: neither is the program's.
        assertThat(report.threads()).noneMatch(t -> t.name().equals("vigil-self-test") || t.name().startsWith("pool-"));
        assertThat(report.executors()).as("the self-test's probe pool").isEmpty();
        assertThat(report.tasks()).as("the self-test's probe task").isEmpty();
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void oneAgentThreadRunsEveryCheckWhileTheProgramRuns(Jdk jdk) {
        // Every check on (deadlocks, stuck waits, long tasks, periodic reports): one thread, and a
        // second one while the program starts, which ends once the MBean is registered.
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .agentOptions("interval=1s,stuckWait=5s,longTask=5s,deadlockCheck=100ms")
                .main("dev.vigil.it.fixtures.AgentThreadsWhileRunning").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("most at once=(\\d+) seen=\\[(.*)] running=\\[(.*)]\n")
                .matcher(r.stdout());
        assertThat(m.matches()).as(r.stdout()).isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(1, 2);
        assertThat(m.group(2).split(", ")).isSubsetOf("vigil-scheduler", "vigil-startup");
        assertThat(m.group(3)).isEqualTo("vigil-scheduler");
        assertThat(r.report().agent().selfTest()).isEqualTo("passed");
        assertThat(r.report().agent().internalErrors()).isZero();
        assertThat(r.report().findings()).isEmpty();
    }

    @Test
    void installingTwiceIsANoOp() {
        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work)
                .jvmArg("-javaagent:" + Paths.agentJar() + "=report=" + work.resolve("second"))
                .main("dev.vigil.examples.threads.UnstoppedWorker").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stderr()).contains("vigil: Vigil is already running in this JVM (loaded at startup, reports in "
                + r.spec().reportDir() + "); this -javaagent is ignored and its options are not applied\n");
        assertThat(Findings.single(r.report(), FindingKinds.THREAD_LEAK).details()).containsEntry("count", 3);
        assertThat(work.resolve("second").resolve("vigil-report.json")).doesNotExist();
        assertThat(r.report().agent().instrumented()).containsOnlyOnce("java.lang.Thread");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aSecondJavaagentWithABadOptionStopsTheJvmBeforeMainLikeTheFirst(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work)
                .jvmArg("-javaagent:" + Paths.agentJar() + "=report=" + work.resolve("second") + ",bogus=1")
                .main("dev.vigil.examples.threads.UnstoppedWorker").run();

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).as("main never ran").isEmpty();
        assertThat(r.stderr().lines()).as(r.toString()).singleElement().asString()
                .startsWith("vigil: bad agent option: unknown option 'bogus'; valid options: report, ");
    }

    @Test
    void fingerprintIsStableAcrossRunsAndJdks() {
        List<String> fingerprints = Jdk.all().stream().map(jdk -> {
            ChildJvm.Result r = ChildJvm.on(jdk, work.resolve(jdk.name()))
                    .main("dev.vigil.examples.threads.UnstoppedWorker").run();
            return Findings.single(r.report(), FindingKinds.THREAD_LEAK).fingerprint();
        }).toList();
        assertThat(fingerprints.get(0)).isEqualTo(fingerprints.get(1));
    }

    @Test
    void percentPInTheReportPathIsThePid() throws Exception {
        ChildJvm child = ChildJvm.on(Jdk.current(), work).agentOptions("report=" + work.resolve("run-%p"))
                .main("dev.vigil.examples.threads.StoppedWorker");
        ChildJvm.Running running = child.start();
        long pid = running.process().pid();
        ChildJvm.Result r = running.awaitExit();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(work.resolve("run-" + pid).resolve("vigil-report.json")).exists();
        try (var files = Files.list(work.resolve("run-" + pid))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("atomic writes leave no temporary files")
                    .containsExactlyInAnyOrder("vigil-report.json", "vigil-report.html");
        }
    }
}
