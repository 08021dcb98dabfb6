package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Report;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bounded cost: short-lived locks taken in pairs (every pair a new lock-order edge) leave the heap
 * flat: the graph holds locks weakly and purges the edges of collected ones. Two million locks
 * here, to keep the build fast on a small machine; docs/PERFORMANCE.md records ten million.
 *
 * <p>Edges of collected locks leave the graph when the collector clears their weak references;
 * young collections often promote them first, so many leave only at a full or mixed collection.
 * Until then the live-edge cap bounds memory and new edges are dropped, counted in
 * {@code agent.truncated.lockEdgesDropped} (see docs/PERFORMANCE.md for the figures).
 */
class LockMemoryTest {

    private static final long LOCKS = 2_000_000;
    /**
     * Heap growth allowed between the medians of the first and second half of the checkpoints (after a full
     * GC each): a leak lifts every later checkpoint, one GC that leaves floating garbage lifts one.
     */
    private static final long SLACK_BYTES = 8L << 20;

    @TempDir
    Path work;


    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void shortLivedLocksLeaveTheHeapFlat(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).jvmArg("-Xmx256m")
                .main("dev.vigil.it.fixtures.ShortLivedLocks", Long.toString(LOCKS)).run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Long> used = r.stdout().lines().filter(l -> l.startsWith("checkpoint "))
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(used).hasSize(10);
        assertThat(r.stdout()).contains("pairs " + LOCKS / 2);
        // Peaks, not single samples: one checkpoint can come out low after a lucky collection.
        long firstHalf = used.subList(0, 5).stream().mapToLong(Long::longValue).sorted().skip(2).findFirst().orElseThrow();
        long secondHalf = used.subList(5, 10).stream().mapToLong(Long::longValue).sorted().skip(2).findFirst().orElseThrow();
        assertThat(secondHalf - firstHalf).as("heap growth from the first to the second half; %s", used)
                .isLessThan(SLACK_BYTES);

        Report report = r.report();
        assertThat(report.findings()).isEmpty();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.agent().truncated()).containsKey("lockEdgesDropped");
    }
}
