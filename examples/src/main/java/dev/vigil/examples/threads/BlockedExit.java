package dev.vigil.examples.threads;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * BAD: {@code main} returns, but a non-daemon consumer thread waits for work forever, so the JVM
 * never exits and its shutdown hooks never run. Nothing says why the program hangs.
 *
 * <p>Vigil notices that {@code main} has returned while the JVM stays up, waits a short grace
 * period ({@code exitGrace}), then watches the threads left: this one waits for ever and nothing
 * else moves (a service would be serving), so the JVM cannot exit. Vigil writes its report anyway:
 * a {@code thread-leak} finding that names this thread as blocking exit, with its start site and
 * what it is waiting on (docs/lifecycle.md).
 * The fix: stop the consumer (a poison pill or an interrupt) and join it, as {@link StoppedWorker}.
 */
public final class BlockedExit {

    private BlockedExit() {
    }

    public static void main(String[] args) {
        BlockingQueue<String> jobs = new LinkedBlockingQueue<>();
        Thread consumer = new Thread(() -> consume(jobs), "job-consumer");
        consumer.start(); // vigil:expect thread-leak
        jobs.add("job-1");
        jobs.add("job-2");
        System.out.println("submitted 2 jobs; main returns");
    }

    private static void consume(BlockingQueue<String> jobs) {
        try {
            while (true) {
                String job = jobs.take(); // waits forever once the queue is empty
                System.out.println("done " + job);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
