package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Recordings;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import jdk.jfr.EventType;
import jdk.jfr.ValueDescriptor;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 6, part 5: every finding kind the bad examples produce reaches a JFR recording as its own
 * event type ({@code vigil.<Kind>}, category Vigil / Findings) carrying the live finding's kind,
 * severity, fingerprint, title, marked line and thread. Thread leaks and lock-order cycles have
 * their own, deeper tests in {@link JfrTest}. Examples that hang are stopped with SIGTERM, the way
 * an operator stops a service: the JVM's shutdown hooks then dump the recording.
 */
class JfrFindingKindsTest {

    private static final String EX = "dev.vigil.examples.";

    @TempDir
    Path work;

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            out.add(Arguments.of(jdk, "executors.ExecutorPerCall", "executor-leak", "exitGrace=500ms"));
            out.add(Arguments.of(jdk, "executors.FireAndForget", "task-leak", ""));
            out.add(Arguments.of(jdk, "executors.TimeoutPerRequest", "timer-pile-up", ""));
            out.add(Arguments.of(jdk, "futures.DroppedCompletableFuture", "unobserved-failure", ""));
            out.add(Arguments.of(jdk, "futures.LostCallback", "future-never-completed", "stuckWait=300ms"));
            out.add(Arguments.of(jdk, "futures.NestedSubmit", "stuck-wait", "stuckWait=300ms"));
            out.add(Arguments.of(jdk, "locks.RealDeadlock", "deadlock", ""));
            out.add(Arguments.of(jdk, "locks.AbandonedLock", "lock-held-by-dead-thread", ""));
            out.add(Arguments.of(jdk, "permits.DoubleRelease", "permit-leak", ""));
            out.add(Arguments.of(jdk, "permits.LatchMissedCountDown", "stuck-wait", "stuckWait=300ms"));
            out.add(Arguments.of(jdk, "queues.DyingConsumer", "queue-orphan", ""));
            out.add(Arguments.of(jdk, "queues.UnboundedBacklog", "queue-growth", ""));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void theFindingIsAJfrEventOfItsKind(Jdk jdk, String example, String kind, String options) throws Exception {
        String main = EX + example;
        Path jfr = work.resolve("app.jfr");
        String opts = "jfr=" + jfr + (options.isEmpty() ? "" : "," + options);
        ChildJvm.Running child = ChildJvm.on(jdk, work).agentOptions(opts).main(main).start();
        Report live = child.awaitReport(r -> marked(r, main, kind) != null);
        Finding finding = marked(live, main, kind);
        if (child.process().isAlive()) {
            child.process().destroy(); // SIGTERM: shutdown hooks run, the recording is written
        }
        child.awaitExit();
        assertThat(jfr).exists();

        String eventName = eventName(kind);
        List<RecordedEvent> events = Recordings.events(jfr, eventName);
        assertThat(events).as(eventName + " in the recording").isNotEmpty();
        List<RecordedEvent> mine = events.stream()
                .filter(ev -> finding.fingerprint().equals(ev.getString("fingerprint"))).toList();
        assertThat(mine).as(eventName + " with fingerprint " + finding.fingerprint()).isNotEmpty();
        // Lock cycles and deadlocks are one event per edge; the whole finding rides on edge 0.
        RecordedEvent e = mine.stream().filter(ev -> ev.getString("findingJson") != null).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no " + eventName + " carries the finding's JSON"));
        if (e.getEventType().getField("cycleId") != null) {
            String cycle = e.getString("cycleId");
            // A finding that changed between reports (thread states) is committed again: the reader
            // keeps the last one. Every commit is the whole cycle, edge 0 to edgeCount - 1.
            int edgeCount = e.getInt("edgeCount");
            assertThat(edgeCount).isGreaterThanOrEqualTo(2);
            assertThat(mine.stream().filter(ev -> cycle.equals(ev.getString("cycleId")))
                    .map(ev -> ev.getInt("edgeIndex")).distinct().sorted().toList())
                    .isEqualTo(java.util.stream.IntStream.range(0, edgeCount).boxed().toList());
            assertThat(mine.size() % edgeCount).isZero();
        }
        assertThat(e.getString("kind")).isEqualTo(kind);
        assertThat(e.getString("severity")).isIn("error", "warning", "info");
        assertThat(e.getString("location")).isEqualTo(finding.primaryLocation());
        assertThat(e.getString("title")).isNotBlank();
        if (!finding.threads().isEmpty()) {
            assertThat(e.getLong("threadId")).isPositive();
            assertThat(finding.threads()).anySatisfy(t -> assertThat(t.name()).isEqualTo(e.getString("threadName")));
        }
        Finding fromEvent = ReportJson.partFromJson(e.getString("findingJson"), Finding.class);
        assertThat(fromEvent.kind()).isEqualTo(kind);
        assertThat(fromEvent.sites().get(0).location()).isEqualTo(finding.primaryLocation());

        EventType type = e.getEventType();
        assertThat(type.getCategoryNames()).containsExactly("Vigil", "Findings");
        assertThat(type.getLabel()).isNotBlank();
        assertThat(type.getDescription()).isNotBlank();
        for (ValueDescriptor field : type.getFields()) {
            assertThat(field.getLabel()).as("label of " + eventName + "." + field.getName()).isNotBlank();
        }
    }

    /** The live finding of {@code kind} at a line the example marks {@code vigil:expect <kind>}. */
    private static Finding marked(Report r, String main, String kind) {
        List<String> lines = ExampleSource.expectedLocations(main, kind);
        return Findings.ofKind(r, kind).stream().filter(f -> lines.contains(f.primaryLocation())).findFirst()
                .orElse(null);
    }

    /** {@code queue-orphan} -> {@code vigil.QueueOrphan}. */
    static String eventName(String kind) {
        StringBuilder b = new StringBuilder("vigil.");
        for (String part : kind.split("-")) {
            b.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return b.toString();
    }

}
