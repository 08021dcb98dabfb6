package dev.vigil.examples.threads;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * BAD: a background worker with no stop condition.
 *
 * <p>Each {@code MetricsReporter} starts a thread that flushes metrics forever. {@code close()}
 * forgets the thread, so every reporter ever created leaves a thread behind. The thread was made
 * a daemon so that the JVM can still exit, which hides the leak instead of fixing it. In Go terms:
 * a goroutine without a stop condition leaks forever.
 *
 * <p>Vigil reports one {@code thread-leak} for the start site below, with a count of 3.
 * The fix is in {@link StoppedWorker}.
 */
public final class UnstoppedWorker {

    private UnstoppedWorker() {
    }

    static final class MetricsReporter implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();

        MetricsReporter(String tenant) {
            Thread worker = new Thread(this::flushForever, "metrics-" + tenant);
            worker.setDaemon(true);
            worker.start(); // vigil:expect thread-leak
        }

        void record(String metric) {
            pending.add(metric);
        }

        private void flushForever() {
            while (true) {
                pending.clear();
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    // Swallowed: nothing can stop this loop.
                }
            }
        }

        @Override
        public void close() {
            // Forgets the worker: it keeps running.
        }
    }

    public static void main(String[] args) {
        for (String tenant : new String[] {"alpha", "beta", "gamma"}) {
            try (MetricsReporter reporter = new MetricsReporter(tenant)) {
                reporter.record("requests=1");
            }
        }
        System.out.println("processed 3 tenants");
    }
}
