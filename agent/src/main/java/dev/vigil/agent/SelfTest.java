package dev.vigil.agent;

import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.threads.ThreadLedger;
import java.util.Hashtable;

/**
 * Proves after install that the hooks fire: starts and joins one thread and checks that the
 * ledger saw it start and end; compares two Hashtables and checks that the lock graph saw one
 * monitor taken while the other was held. A failure is said loudly on stderr and in the report.
 */
final class SelfTest {

    private SelfTest() {
    }

    static String run(ThreadLedger ledger, LockOrderGraph graph) {
        Thread probe = new Thread(SelfTest::nothing, "vigil-self-test");
        probe.setDaemon(true);
        ledger.expectSelfTest(probe);
        probe.start();
        try {
            probe.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (!ledger.selfTestStartSeen()) {
            return "failed: the Thread.start() hook did not fire";
        }
        if (!ledger.selfTestExitSeen()) {
            return "failed: the Thread.exit() hook did not fire";
        }
        // Hashtable.equals holds this table's monitor and takes the other's: one new edge.
        long edgesBefore = graph.edgeCounts()[0] + graph.edgeCounts()[1];
        Hashtable<String, String> a = new Hashtable<>();
        Hashtable<String, String> b = new Hashtable<>();
        a.put("k", "v");
        b.put("k", "v");
        if (!a.equals(b)) {
            return "failed: Hashtable.equals";
        }
        if (graph.edgeCounts()[0] + graph.edgeCounts()[1] <= edgesBefore) {
            return "failed: the lock hooks did not fire (Hashtable monitors)";
        }
        return "passed";
    }

    private static void nothing() {
        // The probe only has to start and end.
    }
}
