package dev.vigil.examples.permits;

import java.util.ArrayDeque;

/**
 * BAD: a hand-written mailbox ({@code wait}/{@code notifyAll}, the way code was written before
 * {@code java.util.concurrent}) whose producer dies before it sends the end of the stream.
 *
 * <p>The producer puts three records and then fails on the fourth; the exception ends its thread
 * before it puts the end marker (Go: a sender that returns on error without {@code close(ch)}).
 * The consumer, waiting in {@code take()} for the next record, is never notified again, and
 * {@code main}, joining it, hangs for ever. Vigil follows the wait on the mailbox's monitor and the
 * threads that notified it: once the wait has lasted {@code stuckWait} and its only notifier has
 * ended, it reports a {@code stuck-wait} error at the {@code wait()} line, naming the producer and
 * its {@code notifyAll()} line. The fix is {@link NotifyInFinally}.
 */
public final class LostNotify {

    private LostNotify() {
    }

    /** A mailbox of strings; {@code null} is never a record. */
    static final class Mailbox {
        static final String END = "<end>";
        private final ArrayDeque<String> items = new ArrayDeque<>();

        synchronized void put(String item) {
            items.addLast(item);
            notifyAll(); // vigil:expect notifier
        }

        synchronized String take() throws InterruptedException {
            while (items.isEmpty()) {
                wait(); // vigil:expect stuck-wait
            }
            return items.removeFirst();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Mailbox box = new Mailbox();
        Thread consumer = new Thread(() -> consume(box), "consumer");
        consumer.start();
        while (consumer.getState() != Thread.State.WAITING) { // up and waiting first, as in a service
            Thread.onSpinWait();
        }
        Thread producer = new Thread(() -> {
            for (int i = 1; i <= 4; i++) {
                box.put(record(i)); // record(4) throws: END is never put
            }
            box.put(Mailbox.END);
        }, "producer");
        producer.setUncaughtExceptionHandler((t, e) -> { }); // the failure is only logged, in real code
        producer.start();
        consumer.join();
        System.out.println("all records consumed");
    }

    static String record(int i) {
        if (i == 4) {
            throw new IllegalStateException("record 4 is corrupt");
        }
        return "record-" + i;
    }

    /** Takes records until the end marker; returns how many. */
    static int consume(Mailbox box) {
        int n = 0;
        try {
            for (String r = box.take(); !r.equals(Mailbox.END); r = box.take()) {
                n++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return n;
    }
}
