package dev.vigil.examples.threads;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: the same worker as {@link UnstoppedWorker}, owned and stopped.
 *
 * <p>The reporter keeps its thread, the loop stops when interrupted, and {@code close()}
 * interrupts and joins it: the worker ends with its owner, as a goroutine ends when its context
 * is cancelled. The thread is not a daemon: if stopping failed, the JVM would not exit and the
 * bug could not hide. Vigil reports nothing.
 */
public final class StoppedWorker {

    private StoppedWorker() {
    }

    static final class MetricsReporter implements AutoCloseable {
        private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
        private final Thread worker;

        MetricsReporter(String tenant) {
            worker = new Thread(this::flushUntilStopped, "metrics-" + tenant);
            worker.start();
        }

        void record(String metric) {
            pending.add(metric);
        }

        private void flushUntilStopped() {
            while (!Thread.currentThread().isInterrupted()) {
                pending.clear();
                try {
                    TimeUnit.MILLISECONDS.sleep(20);
                } catch (InterruptedException e) {
                    return; // the owner asked us to stop
                }
            }
        }

        @Override
        public void close() throws InterruptedException {
            worker.interrupt();
            worker.join();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        for (String tenant : new String[] {"alpha", "beta", "gamma"}) {
            try (MetricsReporter reporter = new MetricsReporter(tenant)) {
                reporter.record("requests=1");
            }
        }
        System.out.println("processed 3 tenants");
    }
}
