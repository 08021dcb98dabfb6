package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteRef;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.model.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service takes many short-lived locks under a few long-lived ones (a request's objects under
 * Tomcat's socket lock, a pooled connection's lock under it): once no path in the graph folded onto
 * lock classes leads back, further pairs of the same classes at the same sites add nothing, and
 * must cost nothing; the lock-order rules still hold once a path back appears.
 */
class LockOrderGraphFoldingTest {

    /** Two plain lock classes (monitors), as a service's connection and statement. */
    static final class Connection {
    }

    static final class Statement {
    }

    static final class Cache {
    }

    static final class Entry {
    }

    private LockOrderGraph graph;
    private int stacks;
    private final List<Thread> workers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        graph = new LockOrderGraph(new LockDescriber() {
            @Override
            public String label(Object lock) {
                return "monitor of " + lock.getClass().getSimpleName();
            }

            @Override
            public String classKey(Object lock) {
                return lock.getClass().getName(); // application classes: predicted cycles apply
            }
        }, () -> {
            stacks++;
            return new Throwable().getStackTrace();
        });
        graph.programStartedThreads(); // threads, not set-up
    }

    private HeldLocks state(String name) {
        Thread t = new Thread(() -> { }, name);
        workers.add(t);
        return graph.newThreadState(t);
    }

    private void nested(HeldLocks h, Object outer, Object inner, int outerLine, int innerLine) {
        graph.acquired(h, outer, LockOrderGraph.EXCLUSIVE, site(outerLine), false);
        graph.acquired(h, inner, LockOrderGraph.EXCLUSIVE, site(innerLine), false);
        graph.released(h, inner);
        graph.released(h, outer);
    }

    private static String site(int line) {
        return SiteRef.application("dev.x.Dao", "query", line);
    }

    @Test
    void locksTakenInTurnAtOneSiteUnderOneHeldLockAreAskedOfTheGraphOnceEach() {
        // A class loader asks each nested jar in turn (its monitor, one site) under a registry's
        // lock, and jars lock the registry too (so a path leads back and instance edges count).
        HeldLocks t = state("main");
        Cache registry = new Cache();
        List<Entry> jars = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            jars.add(new Entry());
        }
        nested(t, jars.get(0), new Cache(), 30, 31);
        for (Entry jar : jars) {
            nested(t, registry, jar, 10, 11);
        }
        long afterFirstRound = graph.observed();
        for (int round = 0; round < 10; round++) {
            for (Entry jar : jars) {
                nested(t, registry, jar, 10, 11);
            }
        }
        // Before: all 500 went to the graph. The jars' slots are placed by identity hashes, so
        // three may meet in one pair of slots (one run in twelve): a few misses per round.
        assertThat(graph.observed() - afterFirstRound).isLessThan(100);
        assertThat(graph.cycles()).allSatisfy(c -> assertThat(c.severity()).isEqualTo(Severity.INFO));
    }

    @Test
    void aThreadThatKnowsAThousandEdgesKeepsKnowingThem() {
        HeldLocks t = state("main");
        Connection outer = new Connection();
        Statement inner = new Statement();
        nested(t, inner, outer, 99, 98); // a path back: instance edges are kept and cached
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            keep.add(new Statement());
        }
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < keep.size(); i++) {
                graph.acquired(t, outer, LockOrderGraph.EXCLUSIVE, site(1_000 + i), false);
                graph.acquired(t, keep.get(i), LockOrderGraph.EXCLUSIVE, site(2_000 + i), false);
                graph.released(t, keep.get(i));
                graph.released(t, outer);
            }
            if (round == 0) {
                assertThat(graph.observed()).isGreaterThanOrEqualTo(700);
            }
        }
        // A direct-mapped cache of 1,024 slots keeps most of 700 keys; 128 slots kept almost none.
        assertThat(graph.observed()).isLessThan(700 + 2 * 350);
    }

    @Test
    void manyPairsOfTheSameTwoClassesAtTheSameSitesKeepOneEdgeAndOneStack() {
        HeldLocks t = state("request-1");
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            Connection c = new Connection();
            Statement s = new Statement();
            keep.add(c);
            keep.add(s);
            nested(t, c, s, 10, 11);
        }
        assertThat(graph.edgeCounts()[0]).as("live instance edges").isEqualTo(1);
        assertThat(stacks).isEqualTo(1);
        assertThat(graph.cycles()).isEmpty();
        assertThat(keep).hasSize(2_000);
    }

    @Test
    void theFirstPairTakenTheOtherWayRoundIsAnObservedCycle() {
        HeldLocks t1 = state("worker-1");
        HeldLocks t2 = state("worker-2");
        Connection c1 = new Connection();
        Statement s1 = new Statement();
        nested(t1, c1, s1, 10, 11);
        List<Object> keep = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Connection c = new Connection();
            Statement s = new Statement();
            keep.add(c);
            keep.add(s);
            nested(t1, c, s, 10, 11);
        }
        nested(t2, s1, c1, 20, 21);

        assertThat(graph.cycles()).anySatisfy(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.OBSERVED);
            assertThat(c.severity()).isEqualTo(Severity.ERROR);
            assertThat(c.steps()).extracting(LockCycle.Step::threadName).containsExactlyInAnyOrder("worker-1", "worker-2");
        });
        assertThat(keep).hasSize(100);
    }

    @Test
    void aPairSeenOnlyByItsClassesTakenTheOtherWayRoundIsStillAPredictedCycle() {
        HeldLocks t1 = state("worker-1");
        HeldLocks t2 = state("worker-2");
        nested(t1, new Connection(), new Statement(), 10, 11);
        Connection c2 = new Connection();
        Statement s2 = new Statement();
        nested(t1, c2, s2, 10, 11); // known by classes: not recorded as an instance edge
        nested(t2, s2, c2, 20, 21);

        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED);
            assertThat(c.severity()).isEqualTo(Severity.WARNING);
            assertThat(c.steps()).extracting(LockCycle.Step::takenSite)
                    .containsExactlyInAnyOrder(site(11), site(21));
        });
    }

    @Test
    void onceAPathLeadsBackEveryNewPairIsRecordedAndAnInversionIsObserved() {
        HeldLocks t1 = state("worker-1");
        HeldLocks t2 = state("worker-2");
        nested(t1, new Connection(), new Statement(), 10, 11);
        nested(t2, new Statement(), new Connection(), 20, 21); // the classes now lead back
        Connection c = new Connection();
        Statement s = new Statement();
        nested(t1, c, s, 10, 11);
        nested(t2, s, c, 20, 21);

        assertThat(graph.cycles()).anySatisfy(cycle -> {
            assertThat(cycle.mode()).isEqualTo(LockCycle.OBSERVED);
            assertThat(cycle.severity()).isEqualTo(Severity.ERROR);
        });
    }

    @Test
    void underAHeldLockOfAnotherClassAPairIsJudgedAgain() {
        HeldLocks t1 = state("worker-1");
        HeldLocks t2 = state("worker-2");
        Object gate = new Object();
        // Always under the gate at first: the class edge is gated, so no predicted cycle...
        graph.acquired(t1, gate, LockOrderGraph.EXCLUSIVE, site(1), false);
        nested(t1, new Connection(), new Statement(), 10, 11);
        graph.released(t1, gate);
        graph.acquired(t2, gate, LockOrderGraph.EXCLUSIVE, site(1), false);
        nested(t2, new Statement(), new Connection(), 20, 21);
        graph.released(t2, gate);
        assertThat(graph.cycles()).isEmpty();
        // ...until the same sites run without it.
        nested(t1, new Connection(), new Statement(), 10, 11);
        assertThat(graph.cycles()).singleElement()
                .satisfies(c -> assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED));
    }

    @Test
    void edgesElsewhereThatCloseNoCycleKeepWhatThreadsKnow() {
        HeldLocks t1 = state("request-1");
        HeldLocks t2 = state("startup");
        List<Object> keep = new ArrayList<>();
        nested(t1, new Connection(), new Statement(), 10, 11);
        for (int i = 0; i < 100; i++) {
            // A start-up adding pairs of other classes (two new folded edges, leading nowhere back)...
            Object a = i % 2 == 0 ? new Cache() : new Statement();
            Object b = new Entry();
            keep.add(a);
            keep.add(b);
            nested(t2, a, b, i % 2 == 0 ? 30 : 40, i % 2 == 0 ? 31 : 41);
            // ...while a request goes on taking fresh locks of known classes.
            Connection c = new Connection();
            Statement s = new Statement();
            keep.add(c);
            keep.add(s);
            nested(t1, c, s, 10, 11);
        }
        // One edge for each new pair of folded nodes: the request's was never forgotten.
        assertThat(graph.edgeCounts()[0]).as("live instance edges").isEqualTo(3);
        assertThat(graph.cycles()).isEmpty();
        assertThat(keep).hasSize(400);
    }

    /**
     * Full (here a 1 MB budget, ~1,500 live edges of locks taken in pairs of one class), a new
     * pair of classes with no way back is dropped once and then known by its folded nodes: fresh
     * locks at the same sites no longer take the graph's lock per pair (lock churn, issue 15).
     */
    @Test
    void overTheCapFreshPairsOfClassesWithNoWayBackAreDroppedOnceThenKnown() {
        dev.vigil.agent.util.MemoryGovernor governor = new dev.vigil.agent.util.MemoryGovernor(1L << 20);
        graph.governedBy(governor);
        HeldLocks filler = state("filler");
        HeldLocks request = state("request-1");
        List<Object> keep = new ArrayList<>();
        int cap = (1 << 20) / LockOrderGraph.EDGE_BYTES;
        for (int i = 0; i < cap; i++) {
            Entry a = new Entry();
            Entry b = new Entry();
            keep.add(a);
            keep.add(b);
            nested(filler, a, b, 20, 21); // one class on both ends: every pair is an edge of its own
        }
        assertThat(graph.edgeCounts()[0]).isEqualTo(cap);
        long dropped = graph.truncated().get("lockEdgesDropped");
        for (int i = 0; i < 100; i++) {
            Connection c = new Connection();
            Statement st = new Statement();
            keep.add(c);
            keep.add(st);
            nested(request, c, st, 10, 11);
        }
        assertThat(graph.truncated().get("lockEdgesDropped") - dropped).as("pairs dropped").isEqualTo(1);
        // The class graph learnt the order all the same: the inversion is predicted.
        nested(state("batch"), new Statement(), new Connection(), 30, 31);
        assertThat(graph.cycles()).singleElement().satisfies(c -> {
            assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED);
            assertThat(c.steps()).extracting(LockCycle.Step::heldSite).containsExactlyInAnyOrder(site(10), site(30));
        });
        assertThat(keep).hasSize(2 * cap + 200);
    }
}
