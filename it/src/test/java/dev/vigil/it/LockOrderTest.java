package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.it.support.Recordings;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The lock examples under the packaged agent, on JDK 17 and 25. */
class LockOrderTest {

    private static final String PKG = "dev.vigil.examples.locks.";

    @TempDir
    Path work;


    static Stream<Arguments> cycles() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            out.add(Arguments.of(jdk, "OppositeOrder", 2));
            out.add(Arguments.of(jdk, "OppositeOrderLocks", 2));
            out.add(Arguments.of(jdk, "ThreeLockCycle", 3));
        }
        return out.stream();
    }

    static Stream<Arguments> correct() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (String example : List.of("ConsistentOrder", "GatedInversion", "TryLockBackOff", "ReadRead")) {
                out.add(Arguments.of(jdk, example));
            }
        }
        return out.stream();
    }

    static Stream<Arguments> deadlocks() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            // Monitors: a MONITORENTER cannot be tried first, but the second thread's new edge
            // closes a cycle, and the held-lock stacks show who holds what and who is about to
            // enter: the hook reports it before the thread blocks, with or without the watch.
            out.add(Arguments.of(jdk, "synchronized", new String[0], "deadlockCheck=200ms", "hook"));
            out.add(Arguments.of(jdk, "synchronized", new String[0], "deadlockCheck=0", "hook"));
            // ReentrantLock: the hook sees it as the second thread is about to block, before the
            // JVM could, so with the watch on it is still the hook's finding; and without the watch.
            out.add(Arguments.of(jdk, "ReentrantLock", new String[] {"--locks"}, "deadlockCheck=200ms", "hook"));
            out.add(Arguments.of(jdk, "ReentrantLock", new String[] {"--locks"}, "deadlockCheck=0", "hook"));
        }
        return out.stream();
    }

    private static Set<List<String>> edgeLocations(Finding f) {
        return Findings.edgeLocations(f);
    }

    /** Marked lines in file order, paired: (1st, 2nd), (3rd, 4th), ... */
    private static Set<List<String>> markedPairs(String example, String kind) {
        return Findings.pairs(ExampleSource.expectedLocations(PKG + example, kind));
    }

    private static void assertCycleShape(Finding f, int edges) {
        assertThat(f.sites()).hasSize(2 * edges);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edgeDetails = (List<Map<String, Object>>) f.details().get("edges");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> locks = (List<Map<String, Object>>) f.details().get("locks");
        assertThat(edgeDetails).hasSize(edges);
        assertThat(locks).hasSize(edges).allSatisfy(l -> assertThat((String) l.get("label")).isNotBlank());
        for (int i = 0; i < edges; i++) {
            Map<String, Object> e = edgeDetails.get(i);
            Map<String, Object> next = edgeDetails.get((i + 1) % edges);
            assertThat(e.get("to")).as("edge %d ends where edge %d starts", i + 1, i + 2).isEqualTo(next.get("from"));
            assertThat(e.get("heldSite")).isEqualTo(2 * i);
            assertThat(e.get("takenSite")).isEqualTo(2 * i + 1);
            Site held = f.sites().get(2 * i);
            Site taken = f.sites().get(2 * i + 1);
            assertThat(held.role()).isEqualTo("edge " + (i + 1) + ": " + e.get("from") + " taken");
            assertThat(taken.role()).isEqualTo("edge " + (i + 1) + ": " + e.get("to") + " taken while holding " + e.get("from"));
            assertThat(held.frames()).isNotEmpty();
            assertThat(taken.frames()).isNotEmpty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> scenario = (Map<String, Object>) f.details().get("scenario");
        assertThat((List<?>) scenario.get("columns")).hasSize(edges);
        assertThat((List<?>) scenario.get("rows")).hasSize(2 * edges);
        assertThat(f.fingerprint()).matches("[0-9a-f]{16}");
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cycles")
    void inconsistentOrderIsAnObservedCycleWithBothSitesOfEveryEdge(Jdk jdk, String example, int edges) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + example).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.findings()).as("only the cycle").hasSize(1);
        Finding cycle = Findings.single(report, FindingKinds.LOCK_ORDER_CYCLE);
        assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
        assertThat(cycle.details()).containsEntry("mode", "observed");
        assertCycleShape(cycle, edges);
        assertThat(edgeLocations(cycle)).isEqualTo(markedPairs(example, FindingKinds.LOCK_ORDER_CYCLE));
        assertThat(r.stderr()).contains("vigil: ERROR lock-order-cycle: Lock-order cycle between ");
    }

    static Stream<Arguments> predicted() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            out.add(Arguments.of(jdk, "PredictedInversion", "any monitor of " + PKG));
            // A ReentrantLock's class is its allocation site.
            out.add(Arguments.of(jdk, "PredictedInversionLocks", "any ReentrantLock created at " + PKG
                    + "PredictedInversionLocks$Account.<init>:"));
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("predicted")
    void inversionOverOtherInstancesOfTheSameClassesIsPredicted(Jdk jdk, String example, String titleLock) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + example).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        Finding cycle = Findings.single(report, FindingKinds.LOCK_ORDER_CYCLE);
        assertThat(report.findings()).hasSize(1);
        assertThat(cycle.severity()).isEqualTo(Severity.WARNING);
        assertThat(cycle.details()).containsEntry("mode", "predicted");
        assertCycleShape(cycle, 2);
        assertThat(edgeLocations(cycle)).isEqualTo(markedPairs(example, FindingKinds.LOCK_ORDER_CYCLE));
        assertThat(cycle.title()).startsWith("Predicted lock-order cycle between ").contains(titleLock);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void hashtableEqualsBothWaysIsFlaggedAtBothCalls(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "HashtableEquals").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("in sync: true\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.agent().instrumented()).contains("java.util.Hashtable");
        Finding cycle = Findings.single(report, FindingKinds.LOCK_ORDER_CYCLE);
        assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
        assertCycleShape(cycle, 2);
        // Both monitors are taken inside Hashtable.equals: each edge points at the application's call.
        Set<List<String>> expected = new HashSet<>();
        for (String line : ExampleSource.expectedLocations(PKG + "HashtableEquals", FindingKinds.LOCK_ORDER_CYCLE)) {
            expected.add(List.of(line, line));
        }
        assertThat(edgeLocations(cycle)).isEqualTo(expected);
        assertThat(cycle.sites().get(0).frames().get(0).className()).isEqualTo("java.util.Hashtable");
    }

    /**
     * {@code StringBuffer}'s monitors are tracked only when {@code jdkLocks} names it (they are
     * not by default: docs/PERFORMANCE.md); then {@code a.append(b)} and {@code b.append(a)} are a
     * cycle whose edges point at the two calls. {@code jdkLocks=none} tracks no JDK monitor.
     */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void stringBufferMonitorsAreTrackedWhenJdkLocksNamesThem(Jdk jdk) {
        String fixture = "dev.vigil.it.fixtures.StringBufferAppendBothWays";
        ChildJvm.Result asked = ChildJvm.on(jdk, work.resolve("asked")).classpath(Paths.testClasses().toString())
                .agentOptions("jdkLocks=Hashtable:StringBuffer").main(fixture).run();
        assertThat(asked.exitCode()).as(asked.toString()).isZero();
        Report report = asked.report();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.agent().selfTest()).isEqualTo("passed");
        assertThat(report.agent().instrumented()).contains("java.lang.StringBuffer", "java.util.Hashtable")
                .doesNotContain("java.util.Vector");
        assertThat(report.run().options()).containsEntry("jdkLocks", "Hashtable:StringBuffer");
        Finding cycle = Findings.single(report, FindingKinds.LOCK_ORDER_CYCLE);
        assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
        assertCycleShape(cycle, 2);
        String first = fixtureLine("StringBufferAppendBothWays.java", "vigil:append-log-request");
        String second = fixtureLine("StringBufferAppendBothWays.java", "vigil:append-request-log");
        assertThat(edgeLocations(cycle)).containsExactlyInAnyOrder(List.of(first, first), List.of(second, second));
        assertThat(cycle.threads()).extracting(t -> t.name()).contains("logger", "echo");

        for (String options : new String[] {"", "jdkLocks=none"}) {
            ChildJvm.Result r = ChildJvm.on(jdk, work.resolve("options-" + options.length()))
                    .classpath(Paths.testClasses().toString()).agentOptions(options).main(fixture).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.report().findings()).as(options).isEmpty();
            assertThat(r.report().agent().instrumented()).as(options).doesNotContain("java.lang.StringBuffer");
            assertThat(r.report().agent().selfTest()).isEqualTo("passed");
            if (!options.isEmpty()) {
                assertThat(r.report().agent().instrumented()).doesNotContain("java.util.Hashtable");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void exceptionsOutOfSynchronizedBlocksReleaseTheirLocks(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.ExceptionsThroughSynchronized").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("thrown 10000\n");
        assertThat(r.report().findings()).as(r.toString()).isEmpty();
        assertThat(r.report().agent().internalErrors()).isZero();
    }

    private static String fixtureLine(String file, String marker) {
        return ExampleSource.fixtureLine(file, marker);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("correct")
    void correctLockingHasNoFindings(Jdk jdk, String example) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + example).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        Report report = r.report();
        assertThat(report.findings()).isEmpty();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.agent().selfTest()).isEqualTo("passed");
        assertThat(report.agent().instrumented()).contains(PKG + example);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("deadlocks")
    void realDeadlockIsReportedWhileTheProcessHangs(Jdk jdk, String variant, String[] args, String options,
                                                   String detectedBy) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions(options)
                .main(PKG + "RealDeadlock", args).start();
        Report report;
        String stderr;
        try {
            report = child.awaitReport(rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty());
            stderr = child.awaitStderr("vigil: ERROR deadlock: Deadlock: threads ");
            assertThat(child.process().isAlive()).as("the program hangs, as it would without Vigil").isTrue();
        } finally {
            child.kill();
        }
        assertThat(report.run().trigger()).isEqualTo("deadlock");
        assertThat(report.agent().internalErrors()).isZero();
        Finding deadlock = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
        assertCycleShape(deadlock, 2);
        assertThat(deadlock.details()).containsEntry("detectedBy", detectedBy);
        assertThat(deadlock.threads()).extracting(t -> t.name())
                .containsExactlyInAnyOrder("alice-to-bob", "bob-to-alice");
        assertThat(deadlock.threads()).allSatisfy(t -> {
            assertThat(t.alive()).isTrue();
            assertThat(t.state()).isIn("BLOCKED", "WAITING");
            assertThat(t.stack()).anySatisfy(f -> assertThat(f.method()).isEqualTo("transfer"));
        });
        // Each thread holds the lock it took at the first marked line and wants one at the second.
        List<String> marked = ExampleSource.expectedLocations(PKG + "RealDeadlock", FindingKinds.DEADLOCK);
        List<String> lines = variant.equals("synchronized") ? marked.subList(0, 2) : marked.subList(2, 4);
        assertThat(edgeLocations(deadlock)).containsOnly(List.of(lines.get(0), lines.get(1)));
        assertThat(deadlock.title()).startsWith("Deadlock: threads ");
        if (variant.equals("synchronized")) {
            // Monitors are recorded just before MONITORENTER: the edge each thread blocks on is in
            // the graph, so the same report also names the cycle, with the same lines.
            Finding cycle = Findings.single(report, FindingKinds.LOCK_ORDER_CYCLE);
            assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
            assertThat(edgeLocations(cycle)).containsOnly(List.of(lines.get(0), lines.get(1)));
        }
        assertThat(stderr.split("ERROR deadlock", -1)).as("the summary says it once").hasSize(2);
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("deadlocksAfterCycle")
    void deadlockOverAnAlreadyKnownCycleIsReportedByTheHookBeforeTheThreadBlocks(Jdk jdk, String variant,
                                                                                   String[] args, int firstLine) {
        // deadlockCheck=0: no watch; only the hook can see it. Every edge was already in the
        // graph from the first round, so this is the path where no edge is new.
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("deadlockCheck=0")
                .main(PKG + "DeadlockAfterCycle", args).start();
        Finding deadlock = twoThreadDeadlockFoundByTheHook(child,
                () -> assertThat(child.stdout()).contains("first round done").doesNotContain("never printed"),
                "poster", "reviewer");
        assertThat(deadlock.threads()).allSatisfy(t -> {
            assertThat(t.alive()).isTrue();
            assertThat(t.state()).isIn("BLOCKED", "WAITING");
        });
        List<String> marked = ExampleSource.expectedLocations(PKG + "DeadlockAfterCycle", FindingKinds.DEADLOCK)
                .subList(firstLine, firstLine + 4);
        assertThat(edgeLocations(deadlock)).containsExactlyInAnyOrder(
                List.of(marked.get(0), marked.get(1)), List.of(marked.get(2), marked.get(3)));
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void readWriteDeadlockThatTheJvmCannotSeeIsReportedByTheHook(Jdk jdk) {
        // The watch is on and finds nothing: readers are not owners for ThreadMXBean.
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("deadlockCheck=200ms")
                .main(PKG + "ReadWriteDeadlock").start();
        Finding deadlock = twoThreadDeadlockFoundByTheHook(child, () -> { }, "reporter", "updater");
        List<String> marked = ExampleSource.expectedLocations(PKG + "ReadWriteDeadlock", FindingKinds.DEADLOCK);
        assertThat(edgeLocations(deadlock)).containsExactlyInAnyOrder(
                List.of(marked.get(0), marked.get(1)), List.of(marked.get(2), marked.get(3)));
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void readToWriteUpgradeIsASelfDeadlockReportedByTheHook(Jdk jdk) throws Exception {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("deadlockCheck=0")
                .classpath(Paths.testClasses().toString()).main("dev.vigil.it.fixtures.ReadToWriteUpgrade").start();
        Report report;
        try {
            report = child.awaitReport(rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty());
        } finally {
            child.kill();
        }
        Finding deadlock = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(deadlock.details()).containsEntry("detectedBy", "hook");
        assertThat(deadlock.title()).startsWith("Deadlock: thread 'main' waits for the write lock of ReentrantReadWriteLock");
        assertThat(deadlock.threads()).extracting(t -> t.name()).containsExactly("main");
        List<String> source = java.nio.file.Files.readAllLines(Paths.testSources()
                .resolve("dev/vigil/it/fixtures/ReadToWriteUpgrade.java"));
        String read = "ReadToWriteUpgrade.java:" + (indexOfLine(source, "// read") + 1);
        String upgrade = "ReadToWriteUpgrade.java:" + (indexOfLine(source, "// upgrade") + 1);
        assertThat(deadlock.sites()).extracting(s -> s.location()).containsExactly(read, upgrade);
        assertThat(deadlock.howToFix()).contains("cannot be upgraded");
    }

    private static int indexOfLine(List<String> lines, String marker) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i;
            }
        }
        throw new IllegalStateException(marker);
    }

    /**
     * Waits for the child's deadlock report, checks that the program hangs ({@code whileHung} runs
     * then too), kills it, and checks the finding: one two-thread deadlock among {@code threads},
     * found by the hook, no internal error.
     */
    private static Finding twoThreadDeadlockFoundByTheHook(ChildJvm.Running child, Runnable whileHung,
                                                          String... threads) {
        Report report = child.awaitReportWhileHung(rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(),
                whileHung);
        assertThat(report.agent().internalErrors()).isZero();
        Finding deadlock = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(deadlock.severity()).isEqualTo(Severity.ERROR);
        assertThat(deadlock.details()).containsEntry("detectedBy", "hook");
        assertCycleShape(deadlock, 2);
        assertThat(deadlock.threads()).extracting(t -> t.name()).containsExactlyInAnyOrder(threads);
        return deadlock;
    }

    static Stream<Arguments> deadlocksAfterCycle() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            out.add(Arguments.of(jdk, "monitors", new String[0], 0));
            out.add(Arguments.of(jdk, "monitor and ReentrantLock", new String[] {"--mixed"}, 4));
        }
        return out.stream();
    }

    /** {@code pkg.Class.method:line} (the event's form) as {@code Class.java:line} (the markers' form). */
    private static String fileLine(String readable) {
        String cls = readable.substring(0, readable.lastIndexOf('.'));
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        simple = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
        return simple + ".java:" + readable.substring(readable.lastIndexOf(':') + 1);
    }

    private List<RecordedEvent> recordOppositeOrder(Jdk jdk, String name, String jfcOptions) throws Exception {
        Path jfr = work.resolve(name);
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(PKG + "OppositeOrder")
                .jvmArg("-XX:StartFlightRecording:settings=default,settings=" + System.getProperty("vigil.jfc")
                        + jfcOptions + ",filename=" + jfr)
                .run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return Recordings.events(jfr, "vigil.LockOrderEdge");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void newLockOrderEdgesAreLowLevelJfrEventsOnlyWhenTheControlIsOn(Jdk jdk) throws Exception {
        assertThat(recordOppositeOrder(jdk, "off.jfr", "")).as("off by default").isEmpty();

        List<RecordedEvent> mine = recordOppositeOrder(jdk, "on.jfr", ",vigil-low-level=true").stream()
                .filter(e -> e.getString("takenAt").startsWith(PKG + "OppositeOrder.")).toList();
        Set<List<String>> pairs = new HashSet<>();
        for (RecordedEvent e : mine) {
            pairs.add(List.of(fileLine(e.getString("heldAt")), fileLine(e.getString("takenAt"))));
        }
        assertThat(mine).as("one event per new edge, not per acquisition").hasSize(2);
        assertThat(pairs).isEqualTo(markedPairs("OppositeOrder", FindingKinds.LOCK_ORDER_CYCLE));
        assertThat(mine).allSatisfy(e -> {
            assertThat(e.getString("fromLock")).isNotBlank();
            assertThat(e.getString("toLock")).isNotBlank().isNotEqualTo(e.getString("fromLock"));
            assertThat(e.getString("threadName")).isNotBlank();
            assertThat(e.getLong("threadId")).isPositive();
            assertThat(e.getStackTrace().getFrames()).anySatisfy(f ->
                    assertThat(f.getMethod().getType().getName()).isEqualTo(PKG + "OppositeOrder"));
        });
    }

    /** Issue 18 part 6: an order taken only during single-threaded set-up does not make a cycle an error. */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aCycleThroughAnOrderTakenOnlyDuringSetUpIsAWarningUntilThatOrderIsTakenWhileThreadsRun(Jdk jdk) {
        String fixture = "dev.vigil.it.fixtures.SetupOrder";
        List<String> marked = ExampleSource.expectedLocations(Paths.testSources(), fixture, FindingKinds.LOCK_ORDER_CYCLE);
        for (String mode : List.of("setup", "again")) {
            ChildJvm.Result r = ChildJvm.on(jdk, work.resolve(mode)).classpath(Paths.testClasses().toString())
                    .main(fixture, mode).run();
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.report().agent().internalErrors()).isZero();
            Finding f = Findings.single(r.report(), FindingKinds.LOCK_ORDER_CYCLE);
            assertThat(f.sites()).extracting(Site::location).containsExactlyInAnyOrderElementsOf(marked);
            if (mode.equals("setup")) {
                assertThat(f.severity()).isEqualTo(Severity.WARNING);
                assertThat(f.details()).containsEntry("setupEdge", true).containsEntry("mode", "observed");
                assertThat(f.message()).contains("(set-up)");
            } else {
                assertThat(f.severity()).isEqualTo(Severity.ERROR);
                assertThat(f.details()).doesNotContainKey("setupEdge");
            }
        }
    }
}
