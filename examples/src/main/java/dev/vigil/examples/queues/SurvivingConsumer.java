package dev.vigil.examples.queues;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * GOOD: the fix of {@link DyingConsumer}. The worker catches a failure per job (as a Go worker
 * recovers from a panic and goes on), so it outlives a bad job and drains the queue; the producer
 * ends the stream with a poison pill and waits for the worker. Vigil reports nothing.
 */
public final class SurvivingConsumer {

    private SurvivingConsumer() {
    }

    record Job(int id) {
    }

    private static final Job NO_MORE_JOBS = new Job(-1);

    static void resize(Job job) {
        if (job.id() == 3) {
            throw new IllegalStateException("corrupt image in job " + job.id());
        }
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Job> jobs = new ArrayBlockingQueue<>(2);
        int[] done = new int[2];
        Thread worker = new Thread(() -> {
            try {
                for (Job job = jobs.take(); job != NO_MORE_JOBS; job = jobs.take()) {
                    try {
                        resize(job);
                        done[0]++;
                    } catch (RuntimeException e) {
                        done[1]++; // log it, count it, keep draining
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "resize-worker");
        worker.start();
        for (int i = 1; i <= 10; i++) {
            jobs.put(new Job(i));
        }
        jobs.put(NO_MORE_JOBS);
        worker.join();
        System.out.println("resized " + done[0] + ", failed " + done[1]);
    }
}
