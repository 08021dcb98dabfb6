package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The queue examples under the packaged agent, on JDK 17 and 25. */
class QueueTest {

    private static final String QUEUES = "dev.vigil.examples.queues.";

    @TempDir
    Path work;

    private Report cleanRun(Jdk jdk, String mainClass, String expectedStdout) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).main(mainClass).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(expectedStdout);
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        return report;
    }

    private static boolean has(Report r, String kind) {
        return !Findings.ofKind(r, kind).isEmpty();
    }

    /** The stuck-wait finding whose wait has not ended, or null. */
    private static Finding stillStuck(Report r) {
        return Findings.ofKind(r, FindingKinds.STUCK_WAIT).stream()
                .filter(f -> Boolean.FALSE.equals(f.details().get("ended"))).findFirst().orElse(null);
    }

    private static ThreadRef thread(Finding f, String name) {
        return f.threads().stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no thread " + name + " in " + f.threads()));
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    @SuppressWarnings("unchecked")
    void aProducerBlockedAfterItsOnlyConsumerDiedIsAnOrphanAndAStuckWait(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=2s")
                .main(QUEUES + "DyingConsumer").start();
        try {
            // Written while the program hangs: first the orphan (urgent), then the stuck wait.
            Report report = child.awaitReport(r -> has(r, FindingKinds.QUEUE_ORPHAN) && has(r, FindingKinds.STUCK_WAIT));
            assertThat(report.run().trigger()).isIn(FindingKinds.QUEUE_ORPHAN, FindingKinds.STUCK_WAIT);
            assertThat(child.process().isAlive()).isTrue();
            String putLine = ExampleSource.expectedLocation(QUEUES + "DyingConsumer", FindingKinds.QUEUE_ORPHAN);

            Finding orphan = Findings.single(report, FindingKinds.QUEUE_ORPHAN);
            assertThat(orphan.severity()).isEqualTo(Severity.ERROR);
            assertThat(orphan.primaryLocation()).isEqualTo(putLine);
            assertThat(orphan.sites().get(1).location())
                    .isEqualTo(ExampleSource.expectedLocation(QUEUES + "DyingConsumer", "queue-orphan-created"));
            assertThat(orphan.details()).containsEntry("reason", "consumers-ended")
                    .containsEntry("queueType", "java.util.concurrent.ArrayBlockingQueue")
                    .containsEntry("capacity", 2).containsEntry("size", 2);
            assertThat(thread(orphan, "main").alive()).isTrue();
            assertThat(thread(orphan, "resize-worker").alive()).isFalse();

            Finding stuck = Findings.single(report, FindingKinds.STUCK_WAIT);
            assertThat(stuck.severity()).as("the only consumer has ended").isEqualTo(Severity.ERROR);
            assertThat(stuck.primaryLocation()).isEqualTo(putLine);
            assertThat(stuck.sites().get(0).frames().get(0).method()).isEqualTo("main");
            assertThat(stuck.details()).containsEntry("primitive", "queue").containsEntry("ended", false);
            assertThat((String) stuck.details().get("waitingOn")).startsWith("ArrayBlockingQueue@")
                    .endsWith("(2 of 2 slots used)");
            assertThat(((Number) stuck.details().get("waitingMillis")).longValue()).isGreaterThanOrEqualTo(2000);
            List<Map<String, Object>> releasers = (List<Map<String, Object>>) stuck.details().get("releasers");
            assertThat(releasers).singleElement().satisfies(m -> assertThat(m)
                    .containsEntry("thread", "resize-worker").containsEntry("alive", false)
                    .containsEntry("role", "consumer"));
            assertThat(stuck.threads()).extracting(ThreadRef::name).containsExactly("main", "resize-worker");

            // The queue table.
            assertThat(report.queues()).singleElement().satisfies(q -> {
                assertThat(q.createdAt()).isEqualTo(orphan.sites().get(1).location());
                assertThat(q.capacity()).isEqualTo(2);
                assertThat(q.size()).isEqualTo(2);
                assertThat(q.highWaterMark()).isEqualTo(2);
                assertThat(q.producers()).singleElement().satisfies(p -> {
                    assertThat(p.thread()).isEqualTo("main");
                    assertThat(p.alive()).isTrue();
                });
                assertThat(q.consumers()).singleElement().satisfies(p -> {
                    assertThat(p.thread()).isEqualTo("resize-worker");
                    assertThat(p.alive()).isFalse();
                });
            });
            assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aConsumerThatSurvivesAndDrainsHasNoFindings(Jdk jdk) {
        Report report = cleanRun(jdk, QUEUES + "SurvivingConsumer", "resized 9, failed 1\n");
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aConsumerWaitingAfterEveryProducerEndedIsAnOrphan(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).main(QUEUES + "MissingEndOfStream").start();
        try {
            Report report = child.awaitReport(r -> has(r, FindingKinds.QUEUE_ORPHAN));
            assertThat(report.run().trigger()).isEqualTo(FindingKinds.QUEUE_ORPHAN);
            assertThat(report.findings()).as("stuckWait is 30 s by default").hasSize(1);
            Finding orphan = Findings.single(report, FindingKinds.QUEUE_ORPHAN);
            assertThat(orphan.severity()).isEqualTo(Severity.ERROR);
            assertThat(orphan.primaryLocation())
                    .isEqualTo(ExampleSource.expectedLocation(QUEUES + "MissingEndOfStream", FindingKinds.QUEUE_ORPHAN));
            assertThat(orphan.details()).containsEntry("reason", "producers-ended").containsEntry("size", 0)
                    .containsEntry("ended", false);
            assertThat(thread(orphan, "main").alive()).isTrue();
            assertThat(thread(orphan, "reader").alive()).isFalse();
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aProducerThatAlwaysEndsTheStreamHasNoFindings(Jdk jdk) {
        Report report = cleanRun(jdk, QUEUES + "EndOfStream", "wrote 2 records\n");
        assertThat(report.findings()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    @SuppressWarnings("unchecked")
    void anUnboundedQueueThatKeepsGrowingIsReportedAtItsCreationLine(Jdk jdk) {
        Report report = cleanRun(jdk, QUEUES + "UnboundedBacklog", "produced 60000 events\n");
        assertThat(report.findings()).hasSize(1);
        Finding growth = Findings.single(report, FindingKinds.QUEUE_GROWTH);
        assertThat(growth.severity()).isEqualTo(Severity.WARNING);
        assertThat(growth.primaryLocation())
                .isEqualTo(ExampleSource.expectedLocation(QUEUES + "UnboundedBacklog", FindingKinds.QUEUE_GROWTH));
        List<Integer> trend = (List<Integer>) growth.details().get("trend");
        assertThat(trend).hasSize(4).isSorted().doesNotHaveDuplicates();
        assertThat(trend.get(3)).isGreaterThanOrEqualTo(10_000);
        assertThat((Integer) growth.details().get("highWaterMark")).isGreaterThanOrEqualTo(trend.get(3));
        // The queue is a static field: still reachable at exit, so it is in the table.
        assertThat(report.queues()).singleElement().satisfies(q -> {
            assertThat(q.capacity()).isNull();
            assertThat(q.createdAt()).isEqualTo(growth.primaryLocation());
            assertThat(q.puts()).isEqualTo(60000);
            assertThat(q.highWaterMark()).isGreaterThanOrEqualTo(trend.get(3));
        });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    @SuppressWarnings("unchecked")
    void aProducerBlockedBehindAStalledButLiveConsumerIsAStuckWaitWarning(Jdk jdk) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions("stuckWait=1s")
                .main(QUEUES + "StalledUpload").start();
        try {
            // Under load the uploader can start late: an earlier put may wait past stuckWait and
            // then go on (a stuck wait that ended). The one that stays is the put after the
            // uploader took its first batch.
            Report report = child.awaitReport(r -> stillStuck(r) != null);
            assertThat(report.run().trigger()).isEqualTo(FindingKinds.STUCK_WAIT);
            assertThat(report.findings()).as("the consumer is alive: not an orphan")
                    .allSatisfy(f -> assertThat(f.kind()).isEqualTo(FindingKinds.STUCK_WAIT));
            Finding stuck = stillStuck(report);
            assertThat(stuck.severity()).isEqualTo(Severity.WARNING);
            assertThat(stuck.primaryLocation())
                    .isEqualTo(ExampleSource.expectedLocation(QUEUES + "StalledUpload", FindingKinds.STUCK_WAIT));
            assertThat(stuck.details()).containsEntry("primitive", "queue").containsEntry("ended", false);
            List<Map<String, Object>> releasers = (List<Map<String, Object>>) stuck.details().get("releasers");
            assertThat(releasers).singleElement().satisfies(m -> assertThat(m)
                    .containsEntry("thread", "uploader").containsEntry("alive", true).containsEntry("role", "consumer"));
            ThreadRef uploader = thread(stuck, "uploader");
            assertThat(uploader.alive()).isTrue();
            assertThat(uploader.stack()).as("what the consumer is doing instead")
                    .anySatisfy(f -> assertThat(f.method()).isEqualTo("upload"));
        } finally {
            child.kill();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void blockingDequeOperationsCountAsPutsAndTakes(Jdk jdk) throws Exception {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.DequeHandOff").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("handed off 4\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.findings()).isEmpty();
        List<String> source = java.nio.file.Files.readAllLines(
                Path.of("src/test/java/dev/vigil/it/fixtures/DequeHandOff.java"));
        int created = 1 + source.indexOf(source.stream().filter(l -> l.contains("vigil:deque-created")).findFirst()
                .orElseThrow());
        assertThat(report.queues()).singleElement().satisfies(q -> {
            assertThat(q.type()).isEqualTo("java.util.concurrent.LinkedBlockingDeque");
            assertThat(q.createdAt()).isEqualTo("DequeHandOff.java:" + created);
            assertThat(q.puts()).isEqualTo(4);
            assertThat(q.takes()).isEqualTo(4);
            assertThat(q.producers()).extracting(p -> p.thread()).containsExactly("main");
            assertThat(q.consumers()).extracting(c -> c.thread()).containsExactly("deque-consumer");
        });
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void nonBlockingDequeCallsTryTransferAndRemoveCountAsPutsAndTakes(Jdk jdk) throws Exception {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.DequeAndTransferCalls").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("left 0, first try false, second try true\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.findings()).isEmpty();
        List<String> source = java.nio.file.Files.readAllLines(
                Path.of("src/test/java/dev/vigil/it/fixtures/DequeAndTransferCalls.java"));
        assertThat(report.queues()).hasSize(2);
        assertThat(report.queues()).filteredOn(q -> q.type().endsWith("LinkedBlockingDeque")).singleElement()
                .satisfies(q -> {
                    assertThat(q.createdAt()).isEqualTo("DequeAndTransferCalls.java:" + line(source, "vigil:nb-deque-created"));
                    assertThat(q.puts()).as("offerFirst, offerLast, addFirst, addLast, push, timed offerLast").isEqualTo(6);
                    assertThat(q.takes()).as("pollFirst, pollLast, removeFirst, removeLast, pop, remove; not peek/element")
                            .isEqualTo(6);
                    assertThat(q.producers()).extracting(p -> p.thread()).containsExactly("main");
                    assertThat(q.consumers()).extracting(c -> c.thread()).containsExactly("deque-taker");
                });
        assertThat(report.queues()).filteredOn(q -> q.type().endsWith("LinkedTransferQueue")).singleElement()
                .satisfies(q -> {
                    assertThat(q.createdAt()).isEqualTo("DequeAndTransferCalls.java:" + line(source, "vigil:transfer-created"));
                    assertThat(q.puts()).as("the tryTransfer that handed over; the one that did not moved nothing")
                            .isEqualTo(1);
                    assertThat(q.takes()).isEqualTo(1);
                    assertThat(q.producers()).extracting(p -> p.thread()).containsExactly("main");
                    assertThat(q.consumers()).extracting(c -> c.thread()).containsExactly("transfer-taker");
                });
    }

    private static int line(List<String> source, String marker) {
        return 1 + source.indexOf(source.stream().filter(l -> l.contains(marker)).findFirst().orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void queuesAndSemaphoresUsedOnlyThroughMethodReferencesAreSeenAtTheReferenceLine(Jdk jdk) throws Exception {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(dev.vigil.it.support.Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.MethodRefsOnly").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("took ab, 1 permit free\n");
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        List<String> source = java.nio.file.Files.readAllLines(
                Path.of("src/test/java/dev/vigil/it/fixtures/MethodRefsOnly.java"));
        String file = "MethodRefsOnly.java:";
        assertThat(report.queues()).singleElement().satisfies(q -> {
            assertThat(q.puts()).isEqualTo(2);
            assertThat(q.takes()).isEqualTo(2);
            assertThat(q.producers()).singleElement().satisfies(p -> {
                assertThat(p.thread()).isEqualTo("ref-producer");
                assertThat(p.site()).isEqualTo(file + line(source, "vigil:ref-add"));
            });
            assertThat(q.consumers()).singleElement().satisfies(c ->
                    assertThat(c.site()).isEqualTo(file + line(source, "vigil:ref-take")));
        });
        Finding leak = Findings.single(report, FindingKinds.PERMIT_LEAK);
        assertThat(leak.primaryLocation()).as("the line of permits::acquireUninterruptibly")
                .isEqualTo(file + line(source, "vigil:ref-acquire"));
        assertThat(leak.threads()).extracting(t -> t.name()).containsExactly("ref-holder");
        assertThat(report.findings()).as("nothing else").hasSize(1);
    }
}
