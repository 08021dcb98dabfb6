package dev.vigil.agent;

import dev.vigil.agent.threads.ThreadLedger;

/**
 * Proves after install that the hooks fire: starts and joins one thread and checks that the
 * ledger saw it start and end. A failure is said loudly on stderr and in the report.
 */
final class SelfTest {

    private SelfTest() {
    }

    static String run(ThreadLedger ledger) {
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
        return "passed";
    }

    private static void nothing() {
        // The probe only has to start and end.
    }
}
