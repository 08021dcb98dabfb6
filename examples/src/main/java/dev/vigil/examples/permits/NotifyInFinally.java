package dev.vigil.examples.permits;

/**
 * GOOD: the fix of {@link LostNotify}. The producer puts the end marker in a {@code finally}
 * block (Go: {@code defer close(ch)}), so the consumer is notified on every path, failure
 * included, and {@code main} returns. Vigil reports nothing.
 */
public final class NotifyInFinally {

    private NotifyInFinally() {
    }

    public static void main(String[] args) throws InterruptedException {
        LostNotify.Mailbox box = new LostNotify.Mailbox();
        int[] consumed = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread consumer = new Thread(() -> consumed[0] = LostNotify.consume(box), "consumer");
        consumer.start();
        while (consumer.getState() != Thread.State.WAITING) { // up and waiting first, as in a service
            Thread.onSpinWait();
        }
        Thread producer = new Thread(() -> {
            try {
                for (int i = 1; i <= 4; i++) {
                    box.put(LostNotify.record(i));
                }
            } finally {
                box.put(LostNotify.Mailbox.END);
            }
        }, "producer");
        producer.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
        producer.start();
        consumer.join();
        producer.join();
        System.out.println("consumed " + consumed[0] + " records; producer failed: " + failure[0].getMessage());
    }
}
