package dev.vigil.examples.queues;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * BAD: a producer blocked on a full queue because its consumer is stuck elsewhere.
 *
 * <p>Metrics batches go through a small queue to an uploader thread. The uploader reads the
 * collector's response with no timeout, and the collector never answers (here: a socket that is
 * never served). The uploader is alive but will never take again; the queue fills and the
 * producer's {@code put} blocks for ever. Vigil reports a {@code stuck-wait} (a warning: the
 * consumer is alive, so it could still drain the queue) at the put line once it has waited
 * {@code stuckWait}, naming the uploader and what it is doing. The fix: a read timeout
 * ({@code socket.setSoTimeout}), and {@code offer(batch, timeout, unit)} where dropping a batch
 * beats hanging. This program never ends by itself: stop it with Ctrl-C.
 */
public final class StalledUpload {

    private StalledUpload() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocket collector = new ServerSocket(0, 50, InetAddress.getLoopbackAddress()); // never answers
        BlockingQueue<String> batches = new ArrayBlockingQueue<>(2);
        Thread uploader = new Thread(() -> {
            try {
                while (true) {
                    upload(batches.take(), collector.getLocalPort());
                }
            } catch (InterruptedException | IOException e) {
                Thread.currentThread().interrupt();
            }
        }, "uploader");
        uploader.start();
        for (int i = 1; i <= 10; i++) {
            batches.put("batch-" + i); // vigil:expect stuck-wait
        }
        uploader.join();
    }

    static void upload(String batch, int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(batch.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            in.read(); // no timeout: waits for ever for the collector's answer
        }
    }
}
