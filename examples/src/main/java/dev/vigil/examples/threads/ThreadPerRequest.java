package dev.vigil.examples.threads;

import java.util.concurrent.CountDownLatch;

/**
 * BAD: a thread per request, each waiting for a reply that never comes and with no deadline.
 * Every request adds a thread that lives forever: the thread count of the service grows without
 * bound until it runs out of memory. In Go terms: a goroutine blocked on a channel nobody sends on.
 *
 * <p>With {@code --serve} the program keeps running like a service, so Vigil's periodic report
 * ({@code interval} option) is what shows the growth. Vigil flags the start site below once
 * {@code threadGrowth} threads from it are alive at once. The fix is in {@link RequestsWithDeadline}.
 */
public final class ThreadPerRequest {

    private ThreadPerRequest() {
    }

    static final int REQUESTS = 100;

    /** A reply that never arrives: the backend dropped it. */
    private static final CountDownLatch REPLY = new CountDownLatch(1);

    public static void main(String[] args) throws InterruptedException {
        for (int i = 0; i < REQUESTS; i++) {
            Thread handler = new Thread(ThreadPerRequest::awaitReply, "request-" + i);
            handler.setDaemon(true);
            handler.start(); // vigil:expect thread-leak
        }
        System.out.println("accepted " + REQUESTS + " requests");
        if (args.length > 0 && args[0].equals("--serve")) {
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    private static void awaitReply() {
        try {
            REPLY.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
