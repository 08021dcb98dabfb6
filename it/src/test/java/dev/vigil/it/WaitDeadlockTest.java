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
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deadlocks through a wait (issue 18 part 2): a thread waits while holding a lock that the
 * releaser of its wait is blocked on. Found while the program hangs, long before {@code stuckWait}
 * (30 s here), on JDK 17 and 25.
 */
class WaitDeadlockTest {

    private static final String FIXTURE = "dev.vigil.it.fixtures.WaitWhileHolding";

    @TempDir
    Path work;

    private static String line(String marker) {
        return ExampleSource.expectedLocation(Paths.testSources(), FIXTURE, marker);
    }

    static Stream<Arguments> hangs() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "monitor", "indexer", "merger", "wait", "", "monitor", "notifier"),
                Arguments.of(jdk, "timedMonitor", "indexer", "merger", "wait-timed", "", "monitor", "notifier"),
                Arguments.of(jdk, "latch", "main", "loader", "wait-latch", "-latch", "latch",
                        "started by 'main' after the latch was created")));
    }

    @ParameterizedTest
    @MethodSource("hangs")
    void aWaitWhileHoldingALockItsReleaserNeedsIsADeadlockWhileTheProgramHangs(Jdk jdk, String mode, String waiter,
            String releaser, String waitMarker, String suffix, String primitive, String role) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main(FIXTURE, mode).start();
        Report report = child.awaitReportWhileHung(
                rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });

        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.run().trigger()).isEqualTo("deadlock");
        Finding f = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.details()).containsEntry("detectedBy", "wait").containsEntry("primitive", primitive)
                .containsEntry("waitingThread", waiter).containsEntry("releaser", releaser)
                .containsEntry("releaserRole", role);
        assertThat(f.threads()).extracting(ThreadRef::name).containsExactly(waiter, releaser);
        List<String> where = f.sites().stream().map(Site::location).toList();
        assertThat(where.get(0)).isEqualTo(line("lock-held" + suffix));
        assertThat(where.get(1)).isEqualTo(line(waitMarker));
        assertThat(where.get(where.size() - 1)).isEqualTo(line("blocked" + suffix));
        if (primitive.equals("monitor")) {
            assertThat(where).hasSize(4).element(2).isEqualTo(line("notified"));
        }
        assertThat(f.message()).contains("Neither can ever proceed");
        // No stuck-wait yet: the wait is far shorter than the 30 s threshold.
        assertThat(Findings.ofKind(report, FindingKinds.STUCK_WAIT)).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void theWriterWaitingForMergesWhileHoldingTheIndexIsADeadlockAndItsFixHasNoFindings(Jdk jdk) {
        String bad = "dev.vigil.examples.locks.WaitWhileLocked";
        Report report = ChildJvm.on(jdk, work.resolve("bad")).main(bad).start().awaitReportWhileHung(
                rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });
        assertThat(report.agent().internalErrors()).isZero();
        Finding f = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(f.threads()).extracting(ThreadRef::name).containsExactly("writer", "merger");
        assertThat(f.sites()).extracting(Site::location)
                .containsExactlyInAnyOrderElementsOf(ExampleSource.expectedLocations(bad, FindingKinds.DEADLOCK));

        ChildJvm.Result good = ChildJvm.on(jdk, work.resolve("good")).main("dev.vigil.examples.locks.WaitAfterUnlock").run();
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(good.stdout()).isEqualTo("[flushed-0, merged-1]\n");
        assertThat(good.report().agent().internalErrors()).isZero();
        assertThat(good.report().findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aThreadBlockedOnTheLockWhileAnotherCanStillReleaseTheWaitIsNoDeadlock(Jdk jdk) {
        // A thread that never notifies; a guessed latch worker while the real one works on. The
        // watch looks every 30 ms here (stuckWait=300ms): some fifty looks while the thread is blocked.
        for (String mode : List.of("notReleaser", "latchWorkerBusy")) {
            ChildJvm.Result r = ChildJvm.on(jdk, work.resolve(mode)).agentOptions("stuckWait=300ms")
                    .classpath(Paths.testClasses().toString()).main(FIXTURE, mode).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.stdout()).isEqualTo("main returns\n");
            assertThat(r.report().agent().internalErrors()).isZero();
            assertThat(Findings.ofKind(r.report(), FindingKinds.DEADLOCK)).as(mode).isEmpty();
            // The 1.5 s latch wait is longer than the threshold: a stuck-wait warning, rightly; nothing else.
            assertThat(r.report().findings()).as(mode).allSatisfy(f -> {
                assertThat(f.kind()).isEqualTo(FindingKinds.STUCK_WAIT);
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
        }
    }
}
