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
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 15, tight heaps: a correct program with 20 MB of live data and 40,000 live objects locked
 * under one global lock (a lock-order edge each) completes under {@code -Xmx32m} without the agent.
 * With it, it must complete the same way: the agent keeps to its memory budget (2 MB at this heap),
 * sheds its own oldest records under pressure, prints nothing but its own summary, and still finds
 * the program's one lock-order inversion. Before the memory governor the same run (and the same
 * run with {@code memory=64m} today) ran out of memory inside class transformation and agent threads.
 */
class TightHeapTest {

    private static final String FIXTURE = "dev.vigil.it.fixtures.TightHeap";
    private static final String[] ARGS = {"20", "40000"};

    @TempDir
    Path work;

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aProgramThatNeedsMostOfASmallHeapRunsAsWithoutTheAgentAndItsInversionIsStillFound(Jdk jdk) {
        ChildJvm.Result plain = ChildJvm.on(jdk, work.resolve("plain")).withoutAgent()
                .classpath(Paths.testClasses().toString()).jvmArg("-Xmx32m").main(FIXTURE, ARGS).run();
        assertThat(plain.exitCode()).as(plain.toString()).isZero();

        ChildJvm.Result r = ChildJvm.on(jdk, work.resolve("agent")).classpath(Paths.testClasses().toString())
                .jvmArg("-Xmx32m").main(FIXTURE, ARGS).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo(plain.stdout());
        assertThat(r.stderr().lines()).as("nothing on stderr but Vigil's summary: %s", r.stderr())
                .allMatch(l -> l.startsWith("vigil: "));

        Report report = r.report();
        assertThat(report.agent().internalErrors()).isZero();
        Map<String, Long> memory = report.agent().memory();
        assertThat(memory).containsEntry("budgetBytes", 2L << 20);
        assertThat(memory.get("estimatedBytes")).isLessThanOrEqualTo(memory.get("effectiveBudgetBytes"));
        assertThat(report.agent().truncated().get("lockEdgesDropped") + memory.get("lockEdgesShed"))
                .as("the 40,000 live edges do not fit a 2 MB budget").isGreaterThan(0);

        assertThat(report.findings()).singleElement().satisfies(f -> assertInversion(f));
    }

    private static void assertInversion(Finding f) {
        assertThat(f.kind()).isEqualTo(FindingKinds.LOCK_ORDER_CYCLE);
        // Observed, or predicted when pressure shed the first thread's edge before the second ran.
        assertThat(f.details().get("mode")).isIn("observed", "predicted");
        assertThat(Findings.edgeLocations(f)).isEqualTo(Findings.pairs(ExampleSource.expectedLocations(
                Path.of("src/test/java"), FIXTURE, FindingKinds.LOCK_ORDER_CYCLE)));
    }
}
