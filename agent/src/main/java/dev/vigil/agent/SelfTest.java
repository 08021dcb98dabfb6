package dev.vigil.agent;

import dev.vigil.agent.instrument.CallSiteRewriter;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.permits.SyncTracker;
import dev.vigil.agent.queues.QueueLedger;
import dev.vigil.agent.threads.ThreadLedger;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.function.Supplier;

/**
 * Proves after install that the hooks fire: starts and joins one thread and checks that the
 * ledger saw it start and end; compares two Hashtables and checks that the lock graph saw one
 * monitor taken while the other was held; runs {@link SelfTestProbe} rewritten as an application
 * class would be and checks that the permit, latch and queue trackers saw it. A failure is said
 * loudly on stderr and in the report.
 */
final class SelfTest {

    private SelfTest() {
    }

    /** @param hashtableTracked whether {@code Hashtable}'s monitors are instrumented (option {@code jdkLocks}) */
    static String run(ThreadLedger ledger, LockOrderGraph graph, boolean hashtableTracked) {
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
        if (!hashtableTracked) {
            return "passed"; // the lock hooks fire on application code only, which does not exist yet
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

    /**
     * The synchronizer and queue probe: {@link SelfTestProbe}'s class file, rewritten by the same
     * visitors as an application class ({@code CallSiteRewriter}), defined in a loader whose parent
     * is the bootstrap loader, and run once. It proves that the rewritten calls verify and link on
     * this JVM (the stand-ins are visible from any loader: the hook jar is on the bootstrap path),
     * and that the stand-ins reach the listeners: a semaphore's creation, a latch's count-down, a
     * queue's put and a take through a method reference. It does not prove that the transformer took
     * a given application class (the package filter decides that). Costs one small class and a few
     * events, all forgotten afterwards.
     */
    static String probeSynchronizers(SyncTracker sync, QueueLedger queues) {
        Object[] made;
        try {
            byte[] original;
            String resource = SelfTestProbe.class.getName().replace('.', '/') + ".class";
            try (InputStream in = SelfTest.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    return "failed: " + resource + " not found";
                }
                original = in.readAllBytes();
            }
            byte[] rewritten = CallSiteRewriter.rewrite(original, SelfTestProbe.class.getName());
            Class<?> probe = new ProbeLoader(SelfTestProbe.class.getName(), rewritten).loadClass(SelfTestProbe.class.getName());
            @SuppressWarnings("unchecked")
            Supplier<Object[]> run = (Supplier<Object[]>) probe.getDeclaredConstructor().newInstance();
            made = run.get();
        } catch (Exception | LinkageError e) {
            return "failed: the rewritten synchronizer and queue calls did not run (" + e + ")";
        }
        try {
            if (!sync.tracks(made[0])) {
                return "failed: the semaphore hooks did not fire";
            }
            if (sync.countDowns(made[1]) != 1) {
                return "failed: the latch hooks did not fire";
            }
            long[] moved = queues.moved(made[2]);
            if (moved[0] != 1 || moved[1] != 1) {
                return "failed: the queue hooks did not fire (puts " + moved[0] + ", takes " + moved[1]
                        + " through a method reference)";
            }
            return "passed";
        } finally {
            sync.forget(made[0]);
            sync.forget(made[1]);
            queues.forget(made[2]);
        }
    }

    /**
     * Defines the probe from the rewritten bytes (child first: the agent's loader has the original);
     * everything else from the agent's loader, which finds the hook classes on the bootstrap path.
     */
    private static final class ProbeLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        ProbeLoader(String name, byte[] bytes) {
            super(SelfTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
            if (!n.equals(name)) {
                return super.loadClass(n, resolve);
            }
            synchronized (getClassLoadingLock(n)) {
                Class<?> done = findLoadedClass(n);
                return done != null ? done : defineClass(n, bytes, 0, bytes.length);
            }
        }
    }

    private static void nothing() {
        // The probe only has to start and end.
    }
}
