package dev.vigil.examples.permits;

import java.util.concurrent.Semaphore;

/**
 * GOOD: a semaphore used as a signal, not as a limit. It starts with no permits; the producer
 * releases one per item and the consumer acquires one per item. Releases without acquisitions are
 * how it works, and Vigil reports nothing (over-release is judged only for semaphores that started
 * with permits: see docs/dev-notes/issue-5-permits.md).
 */
public final class SemaphoreSignal {

    private SemaphoreSignal() {
    }

    public static void main(String[] args) throws InterruptedException {
        Semaphore itemsReady = new Semaphore(0);
        int[] items = new int[5];
        Thread producer = new Thread(() -> {
            for (int i = 0; i < items.length; i++) {
                items[i] = i * i;
                itemsReady.release();
            }
        }, "producer");
        producer.start();
        int sum = 0;
        for (int i = 0; i < items.length; i++) {
            itemsReady.acquire();
            sum += items[i];
        }
        producer.join();
        System.out.println("sum " + sum);
    }
}
