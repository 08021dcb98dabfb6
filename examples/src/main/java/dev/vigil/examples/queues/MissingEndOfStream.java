package dev.vigil.examples.queues;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * BAD: a pipeline whose consumer waits for ever because the producer never signals the end.
 *
 * <p>The reader stage parses lines and hands records to the writer stage (here: main) through a
 * queue, ending the stream with an end marker. But on a malformed line the reader returns early,
 * and that path skips the marker. The reader thread ends; the writer waits in {@code take()} for a
 * record that will never come, and the program hangs. In Go terms: the sender returned without
 * {@code close(ch)}, and the receiver's {@code range ch} never ends. Vigil reports
 * {@code queue-orphan} at the take line once every producer has ended. The fix is
 * {@link EndOfStream}. This program never ends by itself: stop it with Ctrl-C.
 */
public final class MissingEndOfStream {

    private MissingEndOfStream() {
    }

    static final String END = "<end>";

    public static void main(String[] args) throws InterruptedException {
        List<String> input = List.of("a=1", "b=2", "c", "d=4");
        BlockingQueue<String> records = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            for (String line : input) {
                if (!line.contains("=")) {
                    return; // malformed: gives up, and the END below is never sent
                }
                records.add(line);
            }
            records.add(END);
        }, "reader");
        reader.start();
        int written = 0;
        while (!records.take().equals(END)) { // vigil:expect queue-orphan
            written++;
        }
        System.out.println("wrote " + written + " records");
    }
}
