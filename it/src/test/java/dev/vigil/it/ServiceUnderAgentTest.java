package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Workload;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.workloads.load.LoadGen;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A real service of {@code workloads/} under the packaged agent on JDK 17 and 25, as an operator
 * runs it: start, wait for READY, a short bounded load, a periodic report, SIGTERM. Correct code
 * must give no finding in any report, and the planted bugs must be found at their marked lines.
 */
abstract class ServiceUnderAgentTest {

    /** Requests of the short load: enough to use every pool, small enough to keep the test short. */
    private static final int REQUESTS = 300;

    /** How long the service stays idle after the load before it is stopped: five times stuckWait. */
    private static final long IDLE_MILLIS = 1_500;

    /** A JVM ended by SIGTERM exits with 128 + 15, its shutdown hooks run. */
    private static final int SIGTERM_EXIT = 143;

    @TempDir
    Path work;

    abstract Workload workload();

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void correctServiceHasNoFindingsUnderLoadNorAtExit(Jdk jdk) {
        assertNoFindings(jdk);
    }

    /**
     * stuckWait=300ms, then 1.5 s idle after the load: every wait an idle service keeps up (main
     * in Jetty's Server.join, pool workers waiting for work, housekeepers) is seen long past the
     * threshold, as a service idle for a night shows it at the default 30 s.
     */
    void assertNoFindings(Jdk jdk, String... jvmArgs) {
        try (Workload.Running service = workload().start(jdk, work, "interval=1s,stuckWait=300ms", false, jvmArgs)) {
            service.awaitReady();
            LoadGen.Result load = service.load(REQUESTS);
            assertThat(load.errors()).as(load.toJson()).isZero();
            assertThat(load.requests()).as(load.toJson()).isEqualTo(REQUESTS);
            // An interval report written 1.5 s after the load (interval=1s): periodic, or exit-blocked
            // once main has returned while the server's non-daemon threads keep the JVM up.
            service.awaitReport(Instant.now().plusMillis(IDLE_MILLIS), "periodic", "exit-blocked");

            ChildJvm.Result exit = service.terminate();

            assertThat(exit.exitCode()).as(exit.stderr()).isEqualTo(SIGTERM_EXIT);
            Map<String, Report> reports = service.reports();
            System.out.println(workload().name() + " on " + jdk + ": reports seen " + reports.keySet());
            assertThat(reports.keySet()).contains("exit").containsAnyOf("periodic", "exit-blocked");
            SoftAssertions soft = new SoftAssertions();
            reports.forEach((trigger, report) -> {
                soft.assertThat(Workload.Running.describe(report)).as("findings of the %s report", trigger).isEmpty();
                soft.assertThat(report.agent().internalErrors())
                        .as("internal errors in the %s report: %s", trigger, report.agent().errorSamples()).isZero();
                soft.assertThat(report.agent().selfTest()).as("self-test in the %s report", trigger).isEqualTo("passed");
            });
            soft.assertThat(service.brokenReports()).as("report files that were not whole reports").isEmpty();
            soft.assertAll();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void plantedBugsAreFoundAtTheirLines(Jdk jdk) {
        try (Workload.Running service = workload().start(jdk, work, null, true)) {
            service.awaitReady();
            service.hitBugs();

            ChildJvm.Result exit = service.terminate();

            assertThat(exit.exitCode()).as(exit.stderr()).isEqualTo(SIGTERM_EXIT);
            Report report = service.reports().get("exit");
            assertThat(report).as("an exit report; seen: %s", service.reports().keySet()).isNotNull();
            List<String> all = Workload.Running.describe(report);
            String created = single(workload().markedLines(FindingKinds.EXECUTOR_LEAK));
            assertThat(Findings.ofKind(report, FindingKinds.EXECUTOR_LEAK)).as("%s", all)
                    .anySatisfy(f -> assertThat(f.primaryLocation()).isEqualTo(created));
            List<Finding> cycles = Findings.ofKind(report, FindingKinds.LOCK_ORDER_CYCLE);
            assertThat(cycles).as("%s", all).anySatisfy(f -> assertThat(Findings.edgeLocations(f))
                    .isEqualTo(Findings.pairs(workload().markedLines(FindingKinds.LOCK_ORDER_CYCLE))));
            assertThat(report.agent().internalErrors()).as("%s", report.agent().errorSamples()).isZero();
        }
    }

    private static String single(List<String> marked) {
        assertThat(marked).as("marked lines").hasSize(1);
        return marked.get(0);
    }
}
