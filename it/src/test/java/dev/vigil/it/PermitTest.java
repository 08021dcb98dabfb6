package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Recordings;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Semaphores, latches, barriers, phasers, conditions, park and abandoned locks (issue 5): the
 * permit and lock examples under the packaged agent, on JDK 17 and 25.
 */
class PermitTest {

    private static final String PERMITS = "dev.vigil.examples.permits.";
    private static final String LOCKS = "dev.vigil.examples.locks.";
    /** Low enough for the hanging examples, far above any wait in the good ones. */
    private static final String FAST = "stuckWait=300ms,interval=200ms";

    @TempDir
    Path work;

    private Report cleanRun(Jdk jdk, String mainClass, String options, String expectedStdout) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).agentOptions(options).main(mainClass).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(expectedStdout);
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        return report;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> releasers(Finding f) {
        return (List<Map<String, Object>>) f.details().get("releasers");
    }

    private static int leakedPermits(Report rep) {
        int n = 0;
        for (Finding f : Findings.ofKind(rep, FindingKinds.PERMIT_LEAK)) {
            n += (Integer) f.details().get("permits");
        }
        return n;
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aReleaseSkippedOnTheErrorPathLeaksPermitsUntilFetchesHang(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions(FAST).main(PERMITS + "BoundedFanOut").start();
        Report report;
        try {
            // Final state, whatever the order: three permits held by three ended threads, the
            // other fetches stuck. Periodic reports (interval) show it once every thread is there.
            report = child.awaitReport(rep -> leakedPermits(rep) == 3
                    && !Findings.ofKind(rep, FindingKinds.STUCK_WAIT).isEmpty()
                    && Findings.ofKind(rep, FindingKinds.STUCK_WAIT).stream().allMatch(f -> f.severity() == Severity.ERROR));
            assertThat(child.process().isAlive()).as("the program hangs, as it would without Vigil").isTrue();
        } finally {
            child.kill();
        }
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        String acquireLine = ExampleSource.expectedLocation(PERMITS + "BoundedFanOut", FindingKinds.PERMIT_LEAK);
        assertThat(ExampleSource.expectedLocation(PERMITS + "BoundedFanOut", FindingKinds.STUCK_WAIT))
                .isEqualTo(acquireLine);

        Finding leak = Findings.single(report, FindingKinds.PERMIT_LEAK);
        assertThat(leak.primaryLocation()).isEqualTo(acquireLine);
        assertThat(leak.severity()).as("fetches are queued for the leaked permits").isEqualTo(Severity.ERROR);
        assertThat(leak.details()).containsEntry("reason", "unreleased").containsEntry("permits", 3)
                .containsEntry("threads", 3).containsEntry("threadsEnded", true).containsEntry("limit", 3)
                .containsEntry("available", 0);
        String createdLine = ExampleSource.expectedLocation(PERMITS + "BoundedFanOut", "semaphore-created");
        assertThat(leak.details()).containsEntry("createdAt", createdLine);
        assertThat(leak.sites()).extracting(s -> s.role() + " " + s.location())
                .containsExactly("permits acquired " + acquireLine, "semaphore created " + createdLine);
        assertThat(leak.message()).endsWith("It was created at " + createdLine + ".");
        assertThat(report.semaphores()).singleElement().satisfies(s -> {
            assertThat(s.createdAt()).isEqualTo(createdLine);
            assertThat(s.firstUsedAt()).isEqualTo(acquireLine);
            assertThat(s.limit()).isEqualTo(3);
            assertThat(s.available()).isZero();
            assertThat(s.heldByEnded()).isEqualTo(3);
            assertThat(s.waiting()).isPositive();
        });
        assertThat(leak.threads()).hasSize(3).allSatisfy(t -> {
            assertThat(t.name()).startsWith("fetch-inventory-");
            assertThat(t.alive()).isFalse();
        });

        List<Finding> stuck = Findings.ofKind(report, FindingKinds.STUCK_WAIT);
        assertThat(stuck).allSatisfy(f -> {
            assertThat(f.primaryLocation()).isEqualTo(acquireLine);
            assertThat(f.details()).containsEntry("primitive", "semaphore").containsEntry("ended", false)
                    .containsEntry("createdAt", createdLine);
            assertThat(f.sites().get(f.sites().size() - 1).role()).isEqualTo("semaphore created");
            assertThat(f.sites().get(f.sites().size() - 1).location()).isEqualTo(createdLine);
            assertThat((String) f.details().get("waitingOn")).startsWith("Semaphore@").endsWith("(0 of 3 permits free)");
            assertThat(releasers(f)).hasSize(3).allSatisfy(r -> {
                assertThat(r).containsEntry("alive", false).containsEntry("role", "permit holder");
                assertThat((String) r.get("thread")).startsWith("fetch-inventory-");
            });
            assertThat(f.threads().get(0).name()).startsWith("fetch-");
            assertThat(f.threads().get(0).alive()).isTrue();
            assertThat(f.threads().get(0).state()).isEqualTo("WAITING");
            assertThat((Number) f.details().get("waitingMillis")).satisfies(n -> assertThat(n.longValue()).isGreaterThanOrEqualTo(300));
        });
        // Each stuck wait is one thread; at least one fetch can never get a permit.
        assertThat(stuck).extracting(f -> f.threads().get(0).id()).doesNotHaveDuplicates();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void releasingInFinallyHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, PERMITS + "BoundedFanOutFinally", "stuckWait=5s", "fetched 8 pages, 4 failed\n")
                .findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPermitReleasedByAnotherThreadIsNotALeak(Jdk jdk) {
        assertThat(cleanRun(jdk, PERMITS + "HandOffPermits", "stuckWait=5s", "6 jobs done, 2 slots free\n")
                .findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aSemaphoreUsedAsASignalIsNeverOverReleased(Jdk jdk) {
        assertThat(cleanRun(jdk, PERMITS + "SemaphoreSignal", "stuckWait=5s", "sum 30\n").findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aSecondReleaseThatRaisesTheLimitIsAnOverRelease(Jdk jdk) {
        Report report = cleanRun(jdk, PERMITS + "DoubleRelease", "stuckWait=5s",
                "exported 4 reports, 4 permits free of 2\n");
        Finding f = Findings.single(report, FindingKinds.PERMIT_LEAK);
        assertThat(report.findings()).hasSize(1);
        assertThat(f.severity()).isEqualTo(Severity.WARNING);
        assertThat(f.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(PERMITS + "DoubleRelease", FindingKinds.PERMIT_LEAK));
        assertThat(f.details()).containsEntry("reason", "over-release").containsEntry("limit", 2)
                .containsEntry("availableAfterRelease", 3).containsEntry("overReleases", 2)
                .containsEntry("createdAt", ExampleSource.expectedLocation(PERMITS + "DoubleRelease", "semaphore-created"));
        assertThat(f.threads()).singleElement().satisfies(t -> assertThat(t.name()).isEqualTo("main"));
        assertThat(report.semaphores()).singleElement().satisfies(s -> {
            assertThat(s.firstUsedAt()).isEqualTo("DoubleRelease.java:20");
            assertThat(s.createdAt()).isEqualTo(ExampleSource.expectedLocation(PERMITS + "DoubleRelease", "semaphore-created"));
            assertThat(s.limit()).isEqualTo(2);
            assertThat(s.available()).isEqualTo(4);
            assertThat(s.held()).isZero();
            assertThat(s.acquisitions()).isEqualTo(4);
            assertThat(s.releases()).isEqualTo(6);
            assertThat(s.overReleases()).isEqualTo(2);
        });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void permitEventsAreRecordedWithTheLowLevelControlAndOnlyThen(Jdk jdk) throws Exception {
        Path off = work.resolve("off.jfr");
        recordDoubleRelease(jdk, off, "");
        assertThat(Recordings.events(off, "vigil.PermitAcquire")).isEmpty();
        assertThat(Recordings.events(off, "vigil.PermitRelease")).isEmpty();
        assertThat(Recordings.events(off, "vigil.PermitLeak")).as("findings are on by default").isNotEmpty();

        Path on = work.resolve("on.jfr");
        recordDoubleRelease(jdk, on, ",vigil-low-level=true");
        List<RecordedEvent> acquires = Recordings.events(on, "vigil.PermitAcquire");
        List<RecordedEvent> releases = Recordings.events(on, "vigil.PermitRelease");
        assertThat(acquires).hasSize(4).allSatisfy(e -> {
            assertThat(e.getString("semaphore")).startsWith("Semaphore@");
            assertThat(e.getInt("permits")).isEqualTo(1);
            assertThat(e.getString("location")).isEqualTo("DoubleRelease.java:20");
        });
        assertThat(releases).hasSize(6);
        assertThat(releases).extracting(e -> e.getString("location")).contains(
                ExampleSource.expectedLocation(PERMITS + "DoubleRelease", FindingKinds.PERMIT_LEAK));
        assertThat(releases.get(releases.size() - 1).getInt("available")).isEqualTo(4);
    }

    private void recordDoubleRelease(Jdk jdk, Path jfr, String extraJfcOptions) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PERMITS + "DoubleRelease")
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + extraJfcOptions + ",filename=" + jfr).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(jfr).exists();
    }


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aLatchOneFailedWorkerNeverCountsDownIsAStuckWait(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions(FAST).main(PERMITS + "LatchMissedCountDown").start();
        Report report;
        try {
            report = child.awaitReport(rep -> Findings.ofKind(rep, FindingKinds.STUCK_WAIT).stream()
                    .anyMatch(f -> f.severity() == Severity.ERROR));
            assertThat(child.process().isAlive()).isTrue();
        } finally {
            child.kill();
        }
        assertThat(report.run().trigger()).isIn("stuck-wait", "periodic");
        assertThat(report.agent().internalErrors()).isZero();
        Finding f = Findings.single(report, FindingKinds.STUCK_WAIT);
        assertThat(report.findings()).hasSize(1);
        assertThat(f.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(PERMITS + "LatchMissedCountDown", FindingKinds.STUCK_WAIT));
        assertThat(f.details()).containsEntry("primitive", "latch").containsEntry("ended", false);
        assertThat((String) f.details().get("waitingOn")).startsWith("CountDownLatch@").endsWith("(count 1)");
        // The two that counted down, then the worker that did not: started by main after the latch.
        assertThat(releasers(f)).hasSize(3).allSatisfy(r -> assertThat(r).containsEntry("alive", false));
        assertThat(releasers(f)).extracting(r -> r.get("thread") + ": " + r.get("role")).containsExactlyInAnyOrder(
                "warm-catalog: counted down before", "warm-stock: counted down before",
                "warm-pricing: started by 'main' after the latch was created");
        assertThat(f.threads().get(0).name()).isEqualTo("main");
        assertThat(f.sites().get(0).role()).isEqualTo("waiting at");
        assertThat(f.fingerprint()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aServiceMainThreadInJoinIsNoStuckWaitButTheSameWaitElsewhereIs(Jdk jdk) {
        // Both wait 2 s on one condition with stuckWait=200ms; only the one outside join() is reported.
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .agentOptions("stuckWait=200ms").main("dev.vigil.it.fixtures.ServerJoin", "2000").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("stopped\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        Finding f = Findings.single(report, FindingKinds.STUCK_WAIT);
        assertThat(report.findings()).hasSize(1);
        assertThat(f.primaryLocation()).isEqualTo(ExampleSource.fixtureLine("ServerJoin.java", "vigil:control-wait"));
        assertThat(f.threads().get(0).name()).isEqualTo("control");
        assertThat(f.details()).containsEntry("primitive", "condition");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aStuckWaitWritesTheReportAtOnceAndSaysSoOnStderrOnce(Jdk jdk) {
        // No interval: the only report before exit is the one the watch writes when the wait fires.
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=300ms")
                .main(PERMITS + "LatchMissedCountDown").start();
        Report report;
        String stderr;
        try {
            report = child.awaitReport(rep -> !Findings.ofKind(rep, FindingKinds.STUCK_WAIT).isEmpty());
            stderr = child.awaitStderr("stuck-wait: Thread 'main' stuck ");
            assertThat(child.process().isAlive()).isTrue();
        } finally {
            child.kill();
        }
        assertThat(report.run().trigger()).isEqualTo("stuck-wait");
        assertThat(Findings.single(report, FindingKinds.STUCK_WAIT).primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(PERMITS + "LatchMissedCountDown", FindingKinds.STUCK_WAIT));
        assertThat(stderr.split("stuck-wait: Thread 'main'", -1)).as("one wait, reported once").hasSize(2);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void countingDownInFinallyHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, PERMITS + "LatchCountDownInFinally", "stuckWait=5s", "caches warmed, 1 failed\n")
                .findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void barrierPhaserConditionAndParkWaitsAreStuckWaitsAndATimedWaitEnds(Jdk jdk) {
        Report report = cleanRun(jdk, PERMITS + "StuckWaits", "stuckWait=300ms", "4 threads stuck, reply timed out\n");
        List<String> lines = ExampleSource.expectedLocations(PERMITS + "StuckWaits", FindingKinds.STUCK_WAIT);
        List<Finding> stuck = Findings.ofKind(report, FindingKinds.STUCK_WAIT);
        assertThat(stuck).hasSize(5);
        // The four stuck daemon threads are still running at exit: thread leaks, rightly.
        assertThat(report.findings()).hasSize(9);
        assertThat(Findings.ofKind(report, FindingKinds.THREAD_LEAK)).hasSize(4);
        Map<String, Finding> byPrimitive = new HashMap<>();
        for (Finding f : stuck) {
            byPrimitive.put((String) f.details().get("primitive"), f);
        }
        assertThat(byPrimitive).containsOnlyKeys("barrier", "phaser", "condition", "park", "latch");
        String[] order = {"barrier", "phaser", "condition", "park", "latch"};
        String[] threads = {"at-barrier", "at-phaser", "on-condition", "parked", "main"};
        for (int i = 0; i < order.length; i++) {
            Finding f = byPrimitive.get(order[i]);
            assertThat(f.primaryLocation()).as(order[i]).isEqualTo(lines.get(i));
            assertThat(f.threads().get(0).name()).isEqualTo(threads[i]);
            assertThat(f.details()).containsEntry("ended", order[i].equals("latch"));
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
        }
        assertThat((String) byPrimitive.get("barrier").details().get("waitingOn")).endsWith("(1 of 2 parties waiting)");
        assertThat((String) byPrimitive.get("phaser").details().get("waitingOn")).endsWith("(phase 0, 1 of 2 parties arrived)");
        assertThat((String) byPrimitive.get("park").details().get("waitingOn")).startsWith("Object@");
        assertThat(((Number) byPrimitive.get("latch").details().get("waitingMillis")).longValue()).isGreaterThanOrEqualTo(1900);
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> jdksAndLocks() {
        return Jdk.all().stream().flatMap(j -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(j, "reentrant"),
                org.junit.jupiter.params.provider.Arguments.of(j, "write")));
    }

    @ParameterizedTest
    @MethodSource("jdksAndLocks")
    void aThreadThatDiesHoldingALockIsReportedAtTheLockLine(Jdk jdk, String variant) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).agentOptions("stuckWait=5s")
                .main(LOCKS + "AbandonedLock", variant.equals("write") ? new String[] {"--write"} : new String[0]).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("cache-refresher died: config server unreachable\ncache locked for ever\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.findings()).hasSize(1);
        Finding f = Findings.single(report, FindingKinds.LOCK_HELD_BY_DEAD_THREAD);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        List<String> lines = ExampleSource.expectedLocations(LOCKS + "AbandonedLock", FindingKinds.LOCK_HELD_BY_DEAD_THREAD);
        assertThat(f.primaryLocation()).isEqualTo(lines.get(variant.equals("write") ? 1 : 0));
        assertThat(f.threads().get(0).name()).isEqualTo("cache-refresher");
        assertThat(f.threads().get(0).alive()).isFalse();
        assertThat((String) f.details().get("lock"))
                .startsWith(variant.equals("write") ? "write lock of ReentrantReadWriteLock" : "ReentrantLock");
        assertThat(f.details()).containsEntry("thread", "cache-refresher").containsEntry("waiters", 0);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void unlockingInFinallyHasNoFindings(Jdk jdk) {
        assertThat(cleanRun(jdk, LOCKS + "UnlockInFinally", "stuckWait=5s",
                "cache-refresher died: config server unreachable\ncache readable\n").findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPermitStillHeldWhenTheJvmExitsIsReportedInTheExitReport(Jdk jdk) throws Exception {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.PermitHeldAtExit").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("exiting with an export in flight\n");
        Report report = r.report();
        assertThat(report.run().trigger()).isEqualTo("exit");
        List<String> source = java.nio.file.Files.readAllLines(
                Path.of("src/test/java/dev/vigil/it/fixtures/PermitHeldAtExit.java"));
        int line = 1 + source.indexOf(source.stream().filter(l -> l.contains("vigil:permit-held")).findFirst()
                .orElseThrow());
        Finding held = Findings.single(report, FindingKinds.PERMIT_LEAK);
        assertThat(held.primaryLocation()).isEqualTo("PermitHeldAtExit.java:" + line);
        assertThat(held.severity()).isEqualTo(Severity.WARNING);
        assertThat(held.details()).containsEntry("reason", "held-at-exit").containsEntry("permits", 1)
                .containsEntry("threadsEnded", false);
        assertThat(held.threads()).extracting(t -> t.name()).containsExactly("exporter");
    }

    private static String fixtureLine(String file, String marker) {
        return ExampleSource.fixtureLine(file, marker);
    }

    private Report stuckFixture(Jdk jdk, String fixture, java.util.function.Predicate<Finding> done) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .agentOptions("stuckWait=1s").main("dev.vigil.it.fixtures." + fixture).start();
        try {
            return child.awaitReport(r -> Findings.ofKind(r, FindingKinds.STUCK_WAIT).stream().anyMatch(done));
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aLatchWaitNamesTheCountersAndTheThreadsTheCreatorStartedAfterIt(Jdk jdk) throws Exception {
        Report report = stuckFixture(jdk, "LatchWorkerGaveUp", f -> f.severity() == Severity.ERROR);
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        Finding f = Findings.single(report, FindingKinds.STUCK_WAIT);
        assertThat(f.primaryLocation()).isEqualTo(fixtureLine("LatchWorkerGaveUp.java", "vigil:latch-stuck"));
        assertThat(f.threads().get(0).name()).isEqualTo("main");
        assertThat(releasers(f)).extracting(r -> r.get("thread") + " " + r.get("role") + " " + r.get("alive"))
                .as("not the thread started before the latch").containsExactly(
                        "latch-counts counted down before false",
                        "latch-gives-up started by 'main' after the latch was created false");
        String created = fixtureLine("LatchWorkerGaveUp.java", "vigil:latch-created");
        assertThat(f.details()).containsEntry("createdAt", created).containsEntry("primitive", "latch");
        assertThat(f.sites().get(f.sites().size() - 1).role()).isEqualTo("latch created");
        assertThat(f.message()).contains("likely workers").contains("It was created at " + created + ".");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPhaserWaitNamesThePartiesThatHaveNotArrivedInThisPhase(Jdk jdk) throws Exception {
        Report report = stuckFixture(jdk, "PhaserPartyGaveUp", f -> f.severity() == Severity.ERROR);
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        Finding f = Findings.single(report, FindingKinds.STUCK_WAIT);
        assertThat(f.primaryLocation()).isEqualTo(fixtureLine("PhaserPartyGaveUp.java", "vigil:phaser-stuck"));
        assertThat(f.details()).containsEntry("primitive", "phaser").doesNotContainKey("partiesWithoutThread");
        assertThat((String) f.details().get("waitingOn")).endsWith("(phase 1, 1 of 2 parties arrived)");
        assertThat(releasers(f)).singleElement().satisfies(r -> assertThat(r)
                .containsEntry("thread", "phase-worker").containsEntry("alive", false)
                .containsEntry("role", "party, arrived in phase 0, not in phase 1"));
        assertThat(f.sites()).extracting(s -> s.location()).contains(
                fixtureLine("PhaserPartyGaveUp.java", "vigil:phaser-arrived"));
        assertThat(f.message()).contains("all of them have ended");
    }

    /** At exit a wait is judged by its releasers, not by its length (issue 18): all ended, nothing will release it. */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void atExitAWaitWhoseReleasersHaveAllEndedIsAStuckWaitHoweverShort(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HopelessWaitAtExit", "hopeless").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Finding f = Findings.single(r.report(), FindingKinds.STUCK_WAIT);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.primaryLocation()).isEqualTo(fixtureLine("HopelessWaitAtExit.java", "vigil:expect stuck-wait"));
        assertThat(f.threads().get(0).name()).isEqualTo("index-writer");
        assertThat((Number) f.details().get("waitingMillis")).satisfies(
                ms -> assertThat(ms.longValue()).isLessThan(((Number) f.details().get("thresholdMillis")).longValue()));
        assertThat(releasers(f)).extracting(x -> x.get("thread") + " " + x.get("alive"))
                .containsExactlyInAnyOrder("loader-1 false", "loader-2 false");
        assertThat(f.message()).contains("less than the threshold").contains("all of them have ended");
        Finding leak = Findings.single(r.report(), FindingKinds.THREAD_LEAK);
        assertThat(leak.primaryLocation()).isEqualTo(fixtureLine("HopelessWaitAtExit.java", "vigil:expect thread-leak"));
        assertThat(leak.message()).contains("Thread 'index-writer' was started at")
                .contains("and was still running when the JVM shut down.")
                // What it waits on, not only where (issue 18 part 5).
                .containsPattern("Now: index-writer is WAITING at HopelessWaitAtExit\\.java:\\d+ on latch CountDownLatch@[0-9a-f]+ \\(count 1\\)\\.");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void atExitAShortWaitThatALiveThreadCouldStillReleaseIsNoStuckWait(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HopelessWaitAtExit", "releaserAlive").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(Findings.ofKind(r.report(), FindingKinds.STUCK_WAIT)).isEmpty();
    }
}
