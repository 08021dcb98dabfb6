package dev.vigil.examples.queues;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * BAD: an unbounded queue between a fast producer and a slow consumer.
 *
 * <p>Events arrive about twenty times faster than the indexer can handle them. The queue has no
 * capacity, so nothing slows the producer down: the backlog grows until memory runs out (here the
 * burst ends after a few seconds). A Go channel always has a capacity; this queue should too.
 * Vigil reports {@code queue-growth} at the line that created the queue.
 */
public final class UnboundedBacklog {

    private static final BlockingQueue<Integer> EVENTS = new LinkedBlockingQueue<>(); // vigil:expect queue-growth

    private UnboundedBacklog() {
    }

    public static void main(String[] args) throws InterruptedException {
        BlockingQueue<Integer> events = EVENTS;
        Thread indexer = new Thread(() -> {
            try {
                while (true) {
                    events.take();
                    TimeUnit.MILLISECONDS.sleep(1); // a slow index write
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        }, "indexer");
        indexer.start();
        int produced = 0;
        for (int ms = 0; ms < 3000; ms++) {
            for (int i = 0; i < 20; i++) {
                events.offer(produced++);
            }
            TimeUnit.MILLISECONDS.sleep(1);
        }
        indexer.interrupt();
        indexer.join();
        System.out.println("produced " + produced + " events");
    }
}
