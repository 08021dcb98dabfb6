package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code Object.wait} as a stuck wait (issue 18 part 1): a monitor wait is judged by the threads
 * seen notifying that monitor, on JDK 17 and 25.
 */
class MonitorWaitTest {

    private static final String LOST = "dev.vigil.examples.permits.LostNotify";
    private static final String FIXTURE = "dev.vigil.it.fixtures.MonitorWaits";

    @TempDir
    Path work;

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> releasers(Finding f) {
        return (List<Map<String, Object>>) f.details().get("releasers");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aConsumerWhoseOnlyNotifierDiedIsAStuckWaitErrorWhileTheProgramHangs(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms").main(LOST).start();
        Report report = child.awaitReportWhileHung(
                rep -> !Findings.ofKind(rep, FindingKinds.STUCK_WAIT).isEmpty(), () -> { });

        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.STUCK_WAIT);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.primaryLocation()).isEqualTo(ExampleSource.expectedLocation(LOST, FindingKinds.STUCK_WAIT));
        assertThat(f.threads().get(0).name()).isEqualTo("consumer");
        assertThat(f.details()).containsEntry("primitive", "monitor").containsEntry("ended", false);
        assertThat((String) f.details().get("waitingOn")).startsWith("LostNotify$Mailbox@");
        assertThat(releasers(f)).extracting(r -> r.get("thread") + " " + r.get("role") + " " + r.get("alive"))
                .containsExactly("producer notifier false");
        assertThat(f.sites()).extracting(s -> s.role() + " " + s.location()).contains(
                "notifier 'producer' (ended) " + ExampleSource.expectedLocation(LOST, "notifier"));
        assertThat(f.message()).contains("all of them have ended, so nothing will ever release it");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void theFixNotifyingInFinallyHasNoFindings(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms")
                .main("dev.vigil.examples.permits.NotifyInFinally").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("consumed 3 records; producer failed: record 4 is corrupt\n");
        assertThat(r.report().agent().internalErrors()).isZero();
        assertThat(r.report().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void atExitTwoThreadsEachWaitingForTheOtherToNotifyAreStuckWaitsHoweverShort(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main(FIXTURE, "waitingToo").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        List<Finding> stuck = Findings.ofKind(report, FindingKinds.STUCK_WAIT);
        assertThat(stuck).hasSize(2).allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.primaryLocation()).isEqualTo(
                    ExampleSource.expectedLocation(Paths.testSources(), FIXTURE, FindingKinds.STUCK_WAIT));
            assertThat(releasers(f)).hasSize(1).allSatisfy(x -> assertThat(x)
                    .containsEntry("alive", true).containsEntry("waitingToo", true).containsEntry("role", "notifier"));
            assertThat(f.message()).contains("less than the threshold")
                    .contains("none of them can: each has ended or is waiting itself");
            assertThat(f.details().get("alsoWaiting")).asList().hasSize(1);
        });
        assertThat(stuck).extracting(f -> f.threads().get(0).name() + " <- " + releasers(f).get(0).get("thread"))
                .containsExactlyInAnyOrder("worker-a <- worker-b", "worker-b <- worker-a");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aWaitNobodyNotifiesOrWhoseNotifierIsAliveIsNoFindingHoweverLong(Jdk jdk) {
        for (String mode : List.of("parkedForever", "liveNotifier")) {
            // Waits of 1.5 s, five times the threshold: long enough for the watch to have looked many times.
            ChildJvm.Result r = ChildJvm.on(jdk, work.resolve(mode)).agentOptions("stuckWait=300ms")
                    .classpath(Paths.testClasses().toString()).main(FIXTURE, mode, "1500").run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("main returns\n");
            assertThat(r.report().agent().internalErrors()).isZero();
            assertThat(r.report().findings()).as(mode).isEmpty();
        }
    }
}
