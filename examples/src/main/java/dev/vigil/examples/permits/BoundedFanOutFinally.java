package dev.vigil.examples.permits;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * GOOD: the fix of {@link BoundedFanOut}. The permit is released in a {@code finally} block right
 * after the acquire (Go: {@code defer func() { <-sem }()}), so a failing fetch gives it back like
 * any other. All eight fetches finish; Vigil reports nothing.
 */
public final class BoundedFanOutFinally {

    private BoundedFanOutFinally() {
    }

    static final Semaphore CONNECTIONS = new Semaphore(3);

    static String fetch(String page) throws InterruptedException {
        CONNECTIONS.acquire();
        try {
            if (page.startsWith("inventory")) {
                return "failed " + page;
            }
            return "ok " + page; // the real fetch
        } finally {
            CONNECTIONS.release();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        AtomicInteger failed = new AtomicInteger();
        List<Thread> fetches = new ArrayList<>();
        for (String page : Pages.ALL) {
            Thread t = new Thread(() -> {
                try {
                    if (fetch(page).startsWith("failed")) {
                        failed.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "fetch-" + page);
            t.start();
            fetches.add(t);
        }
        for (Thread t : fetches) {
            t.join();
        }
        System.out.println("fetched " + Pages.ALL.size() + " pages, " + failed.get() + " failed");
    }
}
