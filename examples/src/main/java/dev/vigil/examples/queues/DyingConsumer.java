package dev.vigil.examples.queues;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * BAD: a worker pool whose only consumer dies on an exception while the producer blocks.
 *
 * <p>The resize worker takes jobs from a bounded queue. Job 3 is a corrupt image: the worker
 * throws, nothing catches it, and the worker thread ends. The producer keeps putting jobs; once
 * the queue is full its {@code put} blocks for ever, and the program hangs with no error anywhere
 * but one stack trace on stderr. In Go terms: the only goroutine reading the channel panicked, and
 * the sender blocks on a full channel. Vigil reports {@code queue-orphan} at the put line as soon as
 * it is sure (and {@code stuck-wait} once the put has waited {@code stuckWait}). The fix is
 * {@link SurvivingConsumer}. This program never ends by itself: stop it with Ctrl-C.
 */
public final class DyingConsumer {

    private DyingConsumer() {
    }

    record Job(int id) {
    }

    static void resize(Job job) {
        if (job.id() == 3) {
            throw new IllegalStateException("corrupt image in job " + job.id());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(2); // vigil:expect queue-orphan-created
        Thread worker = new Thread(() -> {
            try {
                while (true) {
                    resize(jobs.take()); // the exception of job 3 ends this thread
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "resize-worker");
        worker.start();
        for (int i = 1; i <= 10; i++) {
            jobs.put(new Job(i)); // vigil:expect queue-orphan
        }
        worker.join();
        System.out.println("all jobs queued");
    }
}
