package dev.vigil.examples.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * GOOD: the same requests as {@link ThreadPerRequest}, each with a deadline, and the caller waits
 * for its handlers. A reply that never comes costs one timeout, not a thread forever, as a Go
 * handler selecting on {@code ctx.Done()}. Vigil reports nothing.
 */
public final class RequestsWithDeadline {

    private RequestsWithDeadline() {
    }

    private static final CountDownLatch REPLY = new CountDownLatch(1);

    public static void main(String[] args) throws InterruptedException {
        List<Thread> handlers = new ArrayList<>();
        for (int i = 0; i < ThreadPerRequest.REQUESTS; i++) {
            Thread handler = new Thread(RequestsWithDeadline::awaitReply, "request-" + i);
            handler.start();
            handlers.add(handler);
        }
        for (Thread h : handlers) {
            h.join();
        }
        System.out.println("accepted " + ThreadPerRequest.REQUESTS + " requests");
    }

    private static void awaitReply() {
        try {
            if (!REPLY.await(20, TimeUnit.MILLISECONDS)) {
                return; // deadline passed: give up on this reply
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
