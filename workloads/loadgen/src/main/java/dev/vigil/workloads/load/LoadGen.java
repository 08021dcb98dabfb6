package dev.vigil.workloads.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded HTTP load generator: {@code clients} threads send requests to a server on this machine
 * (loopback only) until {@code duration} has passed or {@code requests} have been sent, whichever
 * comes first, after an unrecorded warm-up. Prints one JSON line:
 * {@code {"clients":8,"seconds":10.00,"requests":N,"errors":E,"rps":R,"p50ms":A,"p99ms":B,"maxms":C}}.
 *
 * <pre>
 * java -jar vigil-loadgen.jar --port 8080 [--clients 8] [--duration 10s] [--warmup 2s]
 *      [--requests N] [--timeout 5s] [--request 'GET /items/{i}'] [--request 'POST /orders {"itemId":{i},"quantity":1}']
 * </pre>
 *
 * In a request, {@code {i}} becomes 1..100 in turn. A response other than 2xx, or none within
 * {@code timeout}, is an error.
 */
public final class LoadGen {

    /** One request shape: method, path and (for POST/PUT) a JSON body; {@code {i}} is replaced. */
    public record Call(String method, String path, String body) {

        /** {@code "GET /x"} or {@code "POST /x {json}"}. */
        public static Call parse(String spec) {
            String[] parts = spec.trim().split(" ", 3);
            if (parts.length < 2 || !parts[1].startsWith("/")) {
                throw new IllegalArgumentException("a request is 'METHOD /path [body]': " + spec);
            }
            return new Call(parts[0].toUpperCase(Locale.ROOT), parts[1], parts.length == 3 ? parts[2] : null);
        }

        HttpRequest build(String base, long n, Duration timeout) {
            String i = Long.toString(n % 100 + 1);
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path.replace("{i}", i))).timeout(timeout);
            if (body == null) {
                return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
            }
            return b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.replace("{i}", i))).build();
        }
    }

    public record Config(String host, int port, int clients, Duration duration, Duration warmup, long requests,
            Duration timeout, List<Call> calls) {

        public Config {
            if (clients < 1 || clients > 256) {
                throw new IllegalArgumentException("clients must be 1..256: " + clients);
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("duration must be > 0 and at most 10m: " + duration);
            }
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("no request given");
            }
            calls = List.copyOf(calls);
        }

        /** Defaults: 8 clients, 10 s, 2 s warm-up, no request limit, 5 s timeout. */
        public static Config of(int port, List<Call> calls) {
            return new Config("127.0.0.1", port, 8, Duration.ofSeconds(10), Duration.ofSeconds(2), Long.MAX_VALUE,
                    Duration.ofSeconds(5), calls);
        }

        public Config clients(int n) {
            return new Config(host, port, n, duration, warmup, requests, timeout, calls);
        }

        public Config duration(Duration d) {
            return new Config(host, port, clients, d, warmup, requests, timeout, calls);
        }

        public Config warmup(Duration d) {
            return new Config(host, port, clients, duration, d, requests, timeout, calls);
        }

        public Config requests(long n) {
            return new Config(host, port, clients, duration, warmup, n, timeout, calls);
        }
    }

    /** What one measured phase gave. Latencies in milliseconds. */
    public record Result(int clients, double seconds, long requests, long errors, double rps, double p50ms,
            double p99ms, double maxms, String firstError) {

        public String toJson() {
            return String.format(Locale.ROOT,
                    "{\"clients\":%d,\"seconds\":%.2f,\"requests\":%d,\"errors\":%d,\"rps\":%.1f,"
                            + "\"p50ms\":%.3f,\"p99ms\":%.3f,\"maxms\":%.3f%s}",
                    clients, seconds, requests, errors, rps, p50ms, p99ms, maxms,
                    firstError == null ? "" : ",\"firstError\":\"" + firstError.replace("\\", "\\\\").replace("\"", "'") + "\"");
        }
    }

    private LoadGen() {
    }

    public static void main(String[] args) throws Exception {
        Config config = parse(args);
        Result r = run(config);
        System.out.println(r.toJson());
    }

    /** Warm-up (not recorded), then the measured phase. */
    public static Result run(Config config) throws IOException, InterruptedException {
        if (!InetAddress.getByName(config.host()).isLoopbackAddress()) {
            throw new IllegalArgumentException("load is only sent to this machine (loopback), not " + config.host());
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout()).build();
        try {
            if (!config.warmup().isZero() && !config.warmup().isNegative()) {
                phase(client, config, config.warmup(), Long.MAX_VALUE);
            }
            return phase(client, config, config.duration(), config.requests());
        } finally {
            if (client instanceof AutoCloseable closeable) { // JDK 21+
                try {
                    closeable.close();
                } catch (Exception e) {
                    // closing a client is best effort
                }
            }
        }
    }

    private static Result phase(HttpClient client, Config config, Duration duration, long limit) throws InterruptedException {
        String base = "http://" + (config.host().contains(":") ? "[" + config.host() + "]" : config.host()) + ":" + config.port();
        AtomicLong tickets = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        List<long[]> samples = new ArrayList<>();
        for (int c = 0; c < config.clients(); c++) {
            long[][] mine = {new long[1024]};
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < deadline) {
                    long ticket = tickets.getAndIncrement();
                    if (ticket >= limit) {
                        break;
                    }
                    Call call = config.calls().get((int) (ticket % config.calls().size()));
                    long t0 = System.nanoTime();
                    String error;
                    try {
                        HttpResponse<Void> resp = client.send(call.build(base, ticket / config.calls().size(), config.timeout()),
                                HttpResponse.BodyHandlers.discarding());
                        error = resp.statusCode() / 100 == 2 ? null : call.method() + " " + call.path() + " -> " + resp.statusCode();
                    } catch (IOException e) {
                        error = call.method() + " " + call.path() + " -> " + e;
                    } catch (InterruptedException e) {
                        break;
                    }
                    long took = System.nanoTime() - t0;
                    if (error != null) {
                        errors.incrementAndGet();
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = error;
                            }
                        }
                    }
                    if (n == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], n * 2);
                    }
                    mine[0][n++] = took;
                }
                synchronized (samples) {
                    samples.add(Arrays.copyOf(mine[0], n));
                }
            }, "load-client-" + c);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        long joinBy = deadline + config.timeout().toNanos() + Duration.ofSeconds(5).toNanos();
        for (Thread t : threads) {
            long left = joinBy - System.nanoTime();
            if (left > 0) {
                t.join(Math.max(1, left / 1_000_000));
            }
            if (t.isAlive()) {
                t.interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all;
        synchronized (samples) {
            all = samples.stream().flatMapToLong(Arrays::stream).toArray();
        }
        Arrays.sort(all);
        return new Result(config.clients(), seconds, all.length, errors.get(), all.length / seconds,
                percentile(all, 0.50), percentile(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6,
                firstError[0]);
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    static Config parse(String[] args) {
        String host = "127.0.0.1";
        int port = -1;
        int clients = 8;
        Duration duration = Duration.ofSeconds(10);
        Duration warmup = Duration.ofSeconds(2);
        Duration timeout = Duration.ofSeconds(5);
        long requests = Long.MAX_VALUE;
        List<Call> calls = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + a);
            }
            String v = args[++i];
            switch (a) {
                case "--host" -> host = v;
                case "--port" -> port = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--duration" -> duration = duration(v);
                case "--warmup" -> warmup = duration(v);
                case "--timeout" -> timeout = duration(v);
                case "--requests" -> requests = Long.parseLong(v);
                case "--request" -> calls.add(Call.parse(v));
                default -> throw new IllegalArgumentException("unknown argument " + a
                        + " (valid: --host --port --clients --duration --warmup --timeout --requests --request)");
            }
        }
        if (port <= 0) {
            throw new IllegalArgumentException("--port is required");
        }
        if (calls.isEmpty()) {
            calls.add(Call.parse("GET /"));
        }
        return new Config(host, port, clients, duration, warmup, requests, timeout, calls);
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds. */
    static Duration duration(String v) {
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(v));
    }
}
