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
        List<Long> used = checkpoints(r);
        assertThat(r.stdout()).contains("pairs " + LOCKS / 2);
        // Medians, not single samples: one checkpoint can come out low after a lucky collection.
        assertThat(median(used.subList(5, 10)) - median(used.subList(0, 5)))
                .as("heap growth from the first to the second half; %s", used).isLessThan(SLACK_BYTES);

        Report report = r.report();
        assertThat(report.findings()).isEmpty();
        assertThat(report.agent().internalErrors()).isZero();
        assertThat(report.agent().truncated()).containsKey("lockEdgesDropped");
    }

    /**
     * Thread churn: every thread that takes a lock gets lock state (its held-lock stack and edge
     * cache, ~1.6 KB); once it ends, nothing of it may stay. Until session 4 every such thread
     * stayed reachable with its state (the state referred to its thread strongly from a map weak
     * by thread): 20,000 threads left ~32 MB, 3.3 MB per checkpoint here.
     */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void shortLivedThreadsThatTookLocksLeaveTheHeapFlat(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).jvmArg("-Xmx256m")
                .main("dev.vigil.it.fixtures.ShortLivedLockThreads", "20000").run();

        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<Long> used = checkpoints(r);
        assertThat(r.stdout()).contains("threads 20000");
        assertThat(median(used.subList(5, 10)) - median(used.subList(0, 5)))
                .as("heap growth from the first to the second half; %s", used).isLessThan(THREAD_SLACK_BYTES);
        assertThat(r.report().findings()).isEmpty();
        assertThat(r.report().agent().internalErrors()).isZero();
    }

    /** Five checkpoints apart, a leak of 1.6 KB per thread is ~16 MB; no leak measures ~0.1 MB. */
    private static final long THREAD_SLACK_BYTES = 4L << 20;

    private static List<Long> checkpoints(ChildJvm.Result r) {
        List<Long> used = r.stdout().lines().filter(l -> l.startsWith("checkpoint "))
                .map(l -> Long.parseLong(l.substring(l.lastIndexOf(' ') + 1))).toList();
        assertThat(used).as(r.toString()).hasSize(10);
        return used;
    }

    private static long median(List<Long> five) {
        return five.stream().mapToLong(Long::longValue).sorted().skip(2).findFirst().orElseThrow();
    }
}
