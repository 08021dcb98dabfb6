package dev.vigil.agent;

import dev.vigil.agent.instrument.CallSiteRewriter;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.permits.SyncTracker;
import dev.vigil.agent.queues.QueueLedger;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.agent.executors.ExecutorLedger;
import dev.vigil.agent.findings.SelfTestResult;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Proves after install that the hooks fire, each check on what a tracker saw, never on a string:
 * a thread pool of its own (one worker, from its own thread factory: no {@code pool-N} name is
 * taken from the program) starts its worker, runs one task and stops, and the thread ledger saw
 * the worker start and end, the executor ledger the pool's creation, the task's submission, start
 * and end, and the shutdown; a {@code FutureTask} nobody runs is waited on for a nanosecond, and
 * the wait hook fired; two Hashtables are compared, and the lock graph saw one monitor taken while
 * the other was held; {@link SelfTestProbe}, rewritten as an application class would be, runs,
 * and the permit, latch and queue trackers saw it. A failure is said loudly on stderr and in the
 * report. The pool, its worker and the future are the self-test's: never in the report.
 */
final class SelfTest {

    private SelfTest() {
    }

    /** @param hashtableTracked whether {@code Hashtable}'s monitors are instrumented (option {@code jdkLocks}) */
    static SelfTestResult run(ThreadLedger ledger, ExecutorLedger executors, LockOrderGraph graph, SyncTracker sync,
                              QueueLedger queues, boolean hashtableTracked) {
        String failure = probeThreadsAndExecutors(ledger, executors);
        if (failure == null && hashtableTracked) {
            failure = probeMonitors(graph);
        }
        if (failure == null) {
            failure = probeSynchronizers(sync, queues);
        }
        return failure == null ? SelfTestResult.PASSED : SelfTestResult.failed(failure);
    }

    /** The worker's start and end, the pool's and its task's life, a future's wait: null, or what failed. */
    static String probeThreadsAndExecutors(ThreadLedger ledger, ExecutorLedger executors) {
        Thread[] worker = new Thread[1];
        executors.expectSelfTest(Thread.currentThread());
        ThreadPoolExecutor pool = null;
        try {
            pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "vigil-self-test");
                t.setDaemon(true);
                ledger.expectSelfTest(t);
                worker[0] = t;
                return t;
            });
            pool.submit(SelfTest::nothing).get(5, TimeUnit.SECONDS);
            FutureTask<Object> never = new FutureTask<>(() -> null);
            executors.expectSelfTestWait(never);
            try {
                never.get(1, TimeUnit.NANOSECONDS);
                return "a FutureTask nobody ran completed";
            } catch (TimeoutException expected) {
                // the wait the hook must have seen
            }
            pool.shutdown();
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                return "the probe pool did not stop";
            }
            worker[0].join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return "the probe pool's task did not run (" + e + ")";
        } finally {
            executors.selfTestDone();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        if (!ledger.selfTestStartSeen()) {
            return "the Thread.start() hook did not fire";
        }
        if (!ledger.selfTestExitSeen()) {
            return "the Thread.exit() hook did not fire";
        }
        int seen = executors.selfTestSeen();
        String[] names = {"pool creation", "task submission", "task start", "task end", "pool shutdown", "future wait"};
        int[] bits = {ExecutorLedger.PROBE_CREATED, ExecutorLedger.PROBE_SUBMITTED, ExecutorLedger.PROBE_STARTED,
            ExecutorLedger.PROBE_FINISHED, ExecutorLedger.PROBE_SHUTDOWN, ExecutorLedger.PROBE_WAITED};
        for (int i = 0; i < bits.length; i++) {
            if ((seen & bits[i]) == 0) {
                return "the executor hooks did not fire (" + names[i] + ")";
            }
        }
        return null;
    }

    /** {@code Hashtable.equals} holds this table's monitor and takes the other's: one new edge. */
    private static String probeMonitors(LockOrderGraph graph) {
        long edgesBefore = graph.edgeCounts()[0] + graph.edgeCounts()[1];
        Hashtable<String, String> a = new Hashtable<>();
        Hashtable<String, String> b = new Hashtable<>();
        a.put("k", "v");
        b.put("k", "v");
        if (!a.equals(b)) {
            return "Hashtable.equals";
        }
        if (graph.edgeCounts()[0] + graph.edgeCounts()[1] <= edgesBefore) {
            return "the lock hooks did not fire (Hashtable monitors)";
        }
        return null;
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
                    return "" + resource + " not found";
                }
                original = in.readAllBytes();
            }
            byte[] rewritten = CallSiteRewriter.rewrite(original, SelfTestProbe.class.getName());
            Class<?> probe = new ProbeLoader(SelfTestProbe.class.getName(), rewritten).loadClass(SelfTestProbe.class.getName());
            @SuppressWarnings("unchecked")
            Supplier<Object[]> run = (Supplier<Object[]>) probe.getDeclaredConstructor().newInstance();
            made = run.get();
        } catch (Exception | LinkageError e) {
            return "the rewritten synchronizer and queue calls did not run (" + e + ")";
        }
        try {
            if (!sync.tracks(made[0])) {
                return "the semaphore hooks did not fire";
            }
            if (sync.countDowns(made[1]) != 1) {
                return "the latch hooks did not fire";
            }
            long[] moved = queues.moved(made[2]);
            if (moved[0] != 1 || moved[1] != 1) {
                return "the queue hooks did not fire (puts " + moved[0] + ", takes " + moved[1]
                        + " through a method reference)";
            }
            return null;
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
