package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteRef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.model.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The graph's rules, driven directly: each "thread" is a HeldLocks of an unstarted Thread. */
class LockOrderGraphTest {

    /** A lock with a name and a class key, as the describer sees it. */
    record Named(String name, String cls) {
        @Override
        public boolean equals(Object o) {
            return this == o; // identity, as for real locks
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    private final AtomicInteger captures = new AtomicInteger();
    private LockOrderGraph graph;
    private HeldLocks t1;
    private HeldLocks t2;

    @BeforeEach
    void setUp() {
        newGraph();
        graph.programStartedThreads(); // most tests are about threads: no set-up phase
    }

    private void newGraph() {
        graph = new LockOrderGraph(new LockDescriber() {
            @Override
            public String label(Object lock) {
                return ((Named) lock).name();
            }

            @Override
            public String classKey(Object lock) {
                return ((Named) lock).cls();
            }
        }, () -> {
            captures.incrementAndGet();
            return new Throwable().getStackTrace();
        });
        t1 = state("worker-1");
        t2 = state("worker-2");
    }

    /** The threads of the states below: a state refers to its thread weakly, as a live thread is reachable. */
    private final List<Thread> workers = new ArrayList<>();

    private HeldLocks state(String thread) {
        Thread t = new Thread(() -> { }, thread);
        workers.add(t);
        return graph.newThreadState(t);
    }

    private static Named lock(String name) {
        return new Named(name, null);
    }

    private void take(HeldLocks h, Object lock, String site) {
        graph.acquired(h, lock, LockOrderGraph.EXCLUSIVE, site, false);
    }

    private void nested(HeldLocks h, Object outer, Object inner, String siteOuter, String siteInner) {
        take(h, outer, siteOuter);
        take(h, inner, siteInner);
        graph.released(h, inner);
        graph.released(h, outer);
    }

    private static String site(int line) {
        return SiteRef.application("dev.x.Bank", "transfer", line);
    }

    @Test
    void oppositeOrderInTwoThreadsIsAnObservedCycleWithBothEdges() {
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(10), site(11));
        assertThat(graph.cycles()).isEmpty();
        nested(t2, b, a, site(20), site(21));

        List<LockCycle> cycles = graph.cycles();
        assertThat(cycles).hasSize(1);
        LockCycle c = cycles.get(0);
        assertThat(c.mode()).isEqualTo(LockCycle.OBSERVED);
        assertThat(c.severity()).isEqualTo(Severity.ERROR);
        assertThat(c.steps()).hasSize(2);
        assertThat(c.steps()).extracting(LockCycle.Step::heldSite).containsExactlyInAnyOrder(site(10), site(20));
        assertThat(c.steps()).extracting(LockCycle.Step::takenSite).containsExactlyInAnyOrder(site(11), site(21));
        assertThat(c.steps()).extracting(LockCycle.Step::threadName).containsExactlyInAnyOrder("worker-1", "worker-2");
        // edge i ends where edge i+1 starts
        assertThat(c.steps().get(0).toKey()).isEqualTo(c.steps().get(1).fromKey());
        assertThat(c.steps().get(1).toKey()).isEqualTo(c.steps().get(0).fromKey());
    }

    @Test
    void consistentOrderIsNoCycle() {
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(10), site(11));
        nested(t2, a, b, site(20), site(21));
        assertThat(graph.cycles()).isEmpty();
    }

    @Test
    void threeLockCycleIsFound() {
        Named a = lock("A");
        Named b = lock("B");
        Named c = lock("C");
        HeldLocks t3 = state("worker-3");
        nested(t1, a, b, site(1), site(2));
        nested(t2, b, c, site(3), site(4));
        assertThat(graph.cycles()).isEmpty();
        nested(t3, c, a, site(5), site(6));

        LockCycle cycle = graph.cycles().get(0);
        assertThat(cycle.steps()).hasSize(3);
        assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
        assertThat(cycle.steps()).extracting(LockCycle.Step::threadName).doesNotHaveDuplicates();
    }

    @Test
    void reentrantAcquisitionAddsNothing() {
        Named a = lock("A");
        take(t1, a, site(1));
        take(t1, a, site(2));
        assertThat(t1.depth()).isEqualTo(1);
        assertThat(graph.edgeCounts()[0]).isZero();
        graph.released(t1, a);
        assertThat(t1.depth()).isEqualTo(1);
        graph.released(t1, a);
        assertThat(t1.depth()).isZero();
    }

    @Test
    void aKnownEdgeCapturesNoNewStack() {
        Named a = lock("A");
        Named b = lock("B");
        for (int i = 0; i < 1_000; i++) {
            nested(t1, a, b, site(1), site(2));
        }
        assertThat(graph.edgeCounts()[0]).isEqualTo(1);
        assertThat(captures.get()).isEqualTo(1);
    }

    @Test
    void noCycleWhenEveryEdgeWasTakenUnderOneGateLock() {
        Named gate = lock("GATE");
        Named a = lock("A");
        Named b = lock("B");
        take(t1, gate, site(1));
        nested(t1, a, b, site(2), site(3));
        graph.released(t1, gate);
        take(t2, gate, site(4));
        nested(t2, b, a, site(5), site(6));
        // Taken again under the gate: not an edge of a cycle that can close a deadlock, so the
        // hook neither looks for one nor takes the graph's lock for it again.
        take(t2, b, site(5));
        assertThat(graph.acquired(t2, a, LockOrderGraph.EXCLUSIVE, site(6), false, 0)).isFalse();
        graph.released(t2, a);
        graph.released(t2, b);
        graph.released(t2, gate);
        assertThat(graph.instanceCycleSeen()).isFalse();
        assertThat(graph.cycles()).isEmpty();

        // The same inversion once without the gate: the edge changes, the cycle is judged again,
        // and now it can deadlock.
        take(t2, b, site(5));
        assertThat(graph.acquired(t2, a, LockOrderGraph.EXCLUSIVE, site(6), false, 0)).isTrue();
        graph.released(t2, a);
        graph.released(t2, b);
        assertThat(graph.instanceCycleSeen()).isTrue();
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void successfulTryLockAddsNoEdgeButTheLockStillOrdersWhatFollows() {
        Named a = lock("A");
        Named b = lock("B");
        Named c = lock("C");
        take(t1, a, site(1));
        graph.acquired(t1, b, LockOrderGraph.EXCLUSIVE, site(2), true); // tryLock: no A -> B
        take(t1, c, site(3)); // blocking under A and B: A -> C and B -> C
        graph.released(t1, c);
        graph.released(t1, b);
        graph.released(t1, a);
        assertThat(graph.edgeCounts()[0]).isEqualTo(2);

        nested(t2, b, a, site(4), site(5)); // B -> A: no cycle, since A -> B was a tryLock
        assertThat(graph.cycles()).isEmpty();
        nested(t2, c, b, site(6), site(7)); // C -> B closes B -> C -> B
        assertThat(graph.cycles()).anySatisfy(cycle -> assertThat(cycle.steps())
                .extracting(LockCycle.Step::fromLabel).containsExactlyInAnyOrder("B", "C"));
    }

    @Test
    void cycleOfReadLocksOnlyIsNoCycleButOneWriterMakesIt() {
        Named a = lock("A");
        Named b = lock("B");
        graph.acquired(t1, a, LockOrderGraph.READ, site(1), false);
        graph.acquired(t1, b, LockOrderGraph.READ, site(2), false);
        graph.released(t1, b);
        graph.released(t1, a);
        graph.acquired(t2, b, LockOrderGraph.READ, site(3), false);
        // Readers do not exclude each other: not an edge of a cycle that can deadlock.
        assertThat(graph.acquired(t2, a, LockOrderGraph.READ, site(4), false, 0)).isFalse();
        graph.released(t2, a);
        graph.released(t2, b);
        assertThat(graph.cycles()).isEmpty();
        assertThat(graph.instanceCycleSeen()).isFalse();

        graph.acquired(t2, b, LockOrderGraph.EXCLUSIVE, site(5), false);
        graph.acquired(t2, a, LockOrderGraph.READ, site(6), false);
        assertThat(graph.cycles()).hasSize(1);
        assertThat(graph.instanceCycleSeen()).isTrue();
    }

    @Test
    void cycleTakenByOneThreadOnlyIsInfo() {
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(1), site(2));
        nested(t1, b, a, site(3), site(4));
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.severity()).isEqualTo(Severity.INFO));

        // Another thread takes one of the edges: now two threads can meet in it.
        nested(t2, b, a, site(3), site(4));
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void oppositeOrderOverOtherInstancesOfTheSameClassesIsPredicted() {
        Named account1 = new Named("Account 1", "dev.x.Account");
        Named ledger1 = new Named("Ledger 1", "dev.x.Ledger");
        Named account2 = new Named("Account 2", "dev.x.Account");
        Named ledger2 = new Named("Ledger 2", "dev.x.Ledger");
        nested(t1, account1, ledger1, site(1), site(2));
        nested(t2, ledger2, account2, site(3), site(4));

        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED);
            assertThat(c.severity()).isEqualTo(Severity.WARNING);
            assertThat(c.steps()).extracting(LockCycle.Step::fromLabel)
                    .containsExactlyInAnyOrder("any Account 1", "any Ledger 2");
        });
    }

    @Test
    void observedCycleHidesThePredictedOneOverTheSameSites() {
        Named account = new Named("Account", "dev.x.Account");
        Named ledger = new Named("Ledger", "dev.x.Ledger");
        nested(t1, account, ledger, site(1), site(2));
        nested(t2, ledger, account, site(3), site(4));
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.mode()).isEqualTo(LockCycle.OBSERVED));
    }

    @Test
    void waitReleasesTheLockAndTakesItBackUnderWhatIsStillHeld() {
        Named outer = lock("OUTER");
        Named monitor = lock("MONITOR");
        take(t1, monitor, site(1));
        take(t1, outer, site(2)); // MONITOR -> OUTER
        graph.waitStarted(t1, monitor);
        assertThat(t1.depth()).isEqualTo(1);
        graph.waitEnded(t1, monitor, site(3)); // re-acquired under OUTER: OUTER -> MONITOR
        assertThat(t1.depth()).isEqualTo(2);
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void capturedStacksShareTheirCommonFrames() {
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(1), site(2));
        nested(t2, b, a, site(3), site(4));
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            StackTraceElement[] first = c.steps().get(0).stack();
            StackTraceElement[] second = c.steps().get(1).stack();
            assertThat(first).isNotSameAs(second);
            // The frames below this test method (the test runner's) are the same frames: one instance each.
            for (int k = 1; k <= 10; k++) {
                assertThat(first[first.length - k]).isEqualTo(second[second.length - k])
                        .isSameAs(second[second.length - k]);
            }
        });
    }

    @Test
    void shortLivedLocksLeaveNoEdgesBehind() {
        long maxLive = 0;
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < 50_000; i++) { // 10 x 50k pairs = 1M locks, each pair a new edge
                nested(t1, lock("A"), lock("B"), site(1), site(2));
            }
            System.gc(); // the test heap is too large for a young collection to happen by itself
            maxLive = Math.max(maxLive, graph.edgeCounts()[0]);
        }
        // The heap itself is measured in a child JVM of its own (LockMemoryTest): here other tests
        // share the heap. What the graph keeps is what it could leak.
        long[] counts = graph.edgeCounts();
        assertThat(graph.truncated()).containsEntry("lockEdgesDropped", 0L);
        assertThat(counts[1]).as("edges of collected locks were purged").isGreaterThan(400_000);
        assertThat(maxLive).as("live edges at any checkpoint").isLessThanOrEqualTo(100_000);
        assertThat(counts[3]).as("one stack for one pair of sites").isEqualTo(1);
    }

    @Test
    void liveEdgesAreCappedAndWhatIsDroppedIsCounted() {
        List<Named> alive = new java.util.ArrayList<>();
        for (int i = 0; i < LockOrderGraph.MAX_LIVE_EDGES + 10; i++) {
            Named a = lock("A");
            Named b = lock("B");
            alive.add(a);
            alive.add(b);
            nested(t1, a, b, site(1), site(2));
        }
        assertThat(graph.edgeCounts()[0]).isEqualTo(LockOrderGraph.MAX_LIVE_EDGES);
        assertThat(graph.truncated()).containsEntry("lockEdgesDropped", 10L);
        assertThat(alive).hasSize(2 * (LockOrderGraph.MAX_LIVE_EDGES + 10));
    }

    @Test
    void overTheEdgeCapLockClassesStillLearnTheOrderAndPredictCycles() {
        List<Named> alive = new java.util.ArrayList<>();
        for (int i = 0; i < LockOrderGraph.MAX_LIVE_EDGES; i++) {
            Named a = lock("A");
            Named b = lock("B");
            alive.add(a);
            alive.add(b);
            nested(t1, a, b, site(1), site(2));
        }
        Named account1 = new Named("account", "dev.x.Account");
        Named ledger1 = new Named("ledger", "dev.x.Ledger");
        Named account2 = new Named("account", "dev.x.Account");
        Named ledger2 = new Named("ledger", "dev.x.Ledger");
        nested(t1, account1, ledger1, site(10), site(11));
        nested(t2, ledger2, account2, site(20), site(21));
        assertThat(graph.truncated()).containsEntry("lockEdgesDropped", 2L);
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED);
            assertThat(c.steps()).extracting(LockCycle.Step::heldSite).containsExactlyInAnyOrder(site(10), site(20));
        });
        System.gc();
        nested(t1, lock("x"), lock("y"), site(30), site(31)); // runs purge(): dropped edges are not counted out
        assertThat(graph.edgeCounts()[0]).isEqualTo(LockOrderGraph.MAX_LIVE_EDGES);
        assertThat(alive).hasSize(2 * LockOrderGraph.MAX_LIVE_EDGES);
    }

    @Test
    void aGovernedGraphHoldsWhatItsBudgetHoldsAndShedsTheOldestEdgesButNeverACycle() {
        dev.vigil.agent.util.MemoryGovernor governor = new dev.vigil.agent.util.MemoryGovernor(2L << 20);
        graph.governedBy(governor);
        int cap = (2 << 20) / LockOrderGraph.EDGE_BYTES;
        Named a = new Named("a", null);
        Named b = new Named("b", null);
        nested(t1, a, b, site(10), site(11));
        nested(t2, b, a, site(20), site(21)); // the oldest edges, and a cycle
        List<Named> alive = new java.util.ArrayList<>();
        for (int i = 0; i < cap + 10; i++) {
            Named x = lock("X");
            Named y = lock("Y");
            alive.add(x);
            alive.add(y);
            nested(t1, x, y, site(1), site(2));
        }
        assertThat(graph.edgeCounts()[0]).as("live edges held by a 2 MB budget").isEqualTo(cap);
        assertThat(graph.truncated()).containsEntry("lockEdgesDropped", 12L);

        governor.pressure(); // half of what the graph holds goes, oldest first
        long half = ((long) cap * LockOrderGraph.EDGE_BYTES / 2 + LockOrderGraph.EDGE_BYTES - 1) / LockOrderGraph.EDGE_BYTES;
        assertThat(graph.edgeCounts()[0]).isEqualTo(cap - half);
        assertThat(governor.counters()).containsEntry("lockEdgesShed", half);
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.OBSERVED);
            assertThat(c.steps()).extracting(LockCycle.Step::heldSite).containsExactlyInAnyOrder(site(10), site(20));
        });

        // Shed edges' classes keep the order: the inversion of one is still predicted.
        Named account1 = new Named("account", "dev.x.Account");
        Named ledger1 = new Named("ledger", "dev.x.Ledger");
        nested(t1, account1, ledger1, site(30), site(31));
        governor.pressure();
        governor.pressure();
        Named account2 = new Named("account", "dev.x.Account");
        Named ledger2 = new Named("ledger", "dev.x.Ledger");
        nested(t2, ledger2, account2, site(40), site(41));
        assertThat(graph.cycles()).hasSize(2);
        assertThat(alive).hasSize(2 * (cap + 10));
    }

    @Test
    void anEdgeTakenOnlyBeforeTheProgramStartedThreadsMakesACycleAWarningUntilItIsTakenAgain() {
        newGraph(); // the program has started no thread yet
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(10), site(11)); // set-up, on the only thread
        graph.programStartedThreads();
        t1.forgetEdges(); // as the tracker does for every thread
        nested(t2, b, a, site(20), site(21));
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.severity()).isEqualTo(Severity.WARNING);
            assertThat(c.setupEdge()).isTrue();
        });

        nested(t1, a, b, site(10), site(11)); // the same path once threads run: it can overlap now
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.severity()).isEqualTo(Severity.ERROR);
            assertThat(c.setupEdge()).isFalse();
        });
    }

    @Test
    void aCycleShowsThePathsOfTheThreadsThatFormItNotTheSetUpThatFirstTookAnEdge() {
        newGraph();
        Named pool = lock("pool");
        Named connection = lock("connection");
        nested(t1, pool, connection, site(10), site(11)); // set-up: fills the pool
        graph.programStartedThreads();
        t1.forgetEdges();
        HeldLocks evictor = state("evictor");
        nested(evictor, pool, connection, site(30), site(31)); // the evictor's path, same two locks
        nested(t2, connection, pool, site(20), site(21)); // a borrower, the other way round

        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.severity()).isEqualTo(Severity.ERROR);
            assertThat(c.steps()).extracting(s -> s.threadName() + " " + s.heldSite() + " " + s.takenSite())
                    .containsExactlyInAnyOrder("evictor " + site(30) + " " + site(31),
                            "worker-2 " + site(20) + " " + site(21));
            assertThat(c.steps()).allSatisfy(s -> assertThat(s.stack()).isNotNull());
        });
        nested(evictor, pool, connection, site(30), site(31));
        nested(t2, connection, pool, site(20), site(21));
        assertThat(graph.cycles()).as("judged again: one cycle still").hasSize(1);
    }

    @Test
    void resetScopeForgetsEdgesAndCyclesSeenBeforeIt() {
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(10), site(11));
        nested(t2, b, a, site(20), site(21));
        assertThat(graph.cycles()).hasSize(1);

        graph.resetScope();
        t1.forgetEdges();
        t2.forgetEdges();
        assertThat(graph.cycles()).as("what was seen before the reset is not reported").isEmpty();
        assertThat(graph.edgeCounts()[0]).as("live edges").isZero();

        // One edge again in the new scope is not a cycle: the other one was before the reset.
        nested(t2, b, a, site(20), site(21));
        assertThat(graph.cycles()).isEmpty();
        // Taken again after the reset (same threads, same locks: their caches were cleared), it is.
        nested(t1, a, b, site(10), site(11));
        assertThat(graph.cycles()).hasSize(1);
        assertThat(graph.edgeCounts()[0]).isEqualTo(2);
    }

    @Test
    void withoutForgettingTheThreadsCachesAKnownEdgeWouldNotComeBack() {
        // Guards the test above: the per-thread cache really does hide known edges from the graph.
        Named a = lock("A");
        Named b = lock("B");
        nested(t1, a, b, site(10), site(11));
        graph.resetScope();
        nested(t1, a, b, site(10), site(11));
        assertThat(graph.edgeCounts()[0]).isZero();
        t1.forgetEdges();
        nested(t1, a, b, site(10), site(11));
        assertThat(graph.edgeCounts()[0]).isEqualTo(1);
    }

    @Test
    void edgesOfCollectedLocksPurgedAfterAResetDoNotUnbalanceTheCount() {
        for (int i = 0; i < 1_000; i++) {
            nested(t1, lock("x" + i), lock("y" + i), site(1), site(2));
        }
        graph.resetScope();
        t1.forgetEdges();
        System.gc();
        Named a = lock("A");
        Named b = lock("B");
        for (int i = 0; i < 10; i++) {
            nested(t1, lock("p" + i), lock("q" + i), site(3), site(4)); // new edges run purge()
        }
        nested(t1, a, b, site(10), site(11));
        long live = graph.edgeCounts()[0];
        assertThat(live).isBetween(1L, 11L);
    }
}
