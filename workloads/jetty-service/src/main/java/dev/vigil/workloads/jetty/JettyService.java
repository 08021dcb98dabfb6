package dev.vigil.workloads.jetty;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A small Jetty 12 server on the core Handler API: requests run on Jetty's {@link QueuedThreadPool},
 * a {@link ScheduledExecutorScheduler} (a bean of the server, started and stopped with it) drives
 * the connector's idle timeouts and a 100 ms statistics tick. A JVM shutdown hook stops the server
 * gracefully (SIGTERM), then {@code main} returns from {@code join()}.
 *
 * <p>Usage: {@code java -jar vigil-jetty-service.jar [port]} (default 0: an ephemeral port on
 * 127.0.0.1); prints {@code READY port=N}. With {@code -Dworkload.bugs=true} it also serves the
 * endpoints of {@link PlantedBugs}.
 */
public final class JettyService {

    private JettyService() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.getInteger("server.port", 0);

        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("jetty-worker");
        Server server = new Server(threads);
        server.setStopTimeout(5_000);
        ScheduledExecutorScheduler scheduler = new ScheduledExecutorScheduler("jetty-scheduler", true);
        server.addBean(scheduler);

        ServerConnector connector = new ServerConnector(server, null, scheduler, null, -1, -1, new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        Ticker ticker = new Ticker(scheduler);
        server.setHandler(new Routes(ticker, Boolean.getBoolean("workload.bugs") ? new PlantedBugs() : null));

        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "jetty-stop"));
        server.start();
        ticker.start();
        System.out.println("READY port=" + connector.getLocalPort());
        System.out.flush();
        server.join();
    }

    private static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("jetty did not stop cleanly: " + e);
        }
    }

    /** Counts 100 ms ticks on the server's scheduler (it reschedules itself until the scheduler stops). */
    static final class Ticker {
        private final Scheduler scheduler;
        private final AtomicLong ticks = new AtomicLong();

        Ticker(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        void start() {
            scheduler.schedule(this::tick, 100, TimeUnit.MILLISECONDS);
        }

        private void tick() {
            ticks.incrementAndGet();
            if (scheduler.isRunning()) {
                start();
            }
        }

        long ticks() {
            return ticks.get();
        }
    }
}
