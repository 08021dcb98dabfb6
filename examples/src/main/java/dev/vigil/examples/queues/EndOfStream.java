package dev.vigil.examples.queues;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * GOOD: the fix of {@link MissingEndOfStream}. The producer owns the end of the stream and sends
 * the marker in a {@code finally} block, on every path out (Go: {@code defer close(ch)} in the
 * sender). The writer always ends. Vigil reports nothing.
 */
public final class EndOfStream {

    private EndOfStream() {
    }

    static final String END = "<end>";

    public static void main(String[] args) throws InterruptedException {
        List<String> input = List.of("a=1", "b=2", "c", "d=4");
        BlockingQueue<String> records = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line : input) {
                    if (!line.contains("=")) {
                        return; // malformed: stop reading, but still end the stream
                    }
                    records.add(line);
                }
            } finally {
                records.add(END);
            }
        }, "reader");
        reader.start();
        int written = 0;
        while (!records.take().equals(END)) {
            written++;
        }
        reader.join();
        System.out.println("wrote " + written + " records");
    }
}
