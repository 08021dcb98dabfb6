package dev.vigil.workloads.jetty;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Two real bugs, served only with {@code -Dworkload.bugs=true}: {@code GET /bugs/lookup} (a pool per
 * request, never shut down), {@code GET /bugs/login} and {@code GET /bugs/logout} (two monitors
 * taken in opposite orders). Lines marked {@code vigil:expect KIND} are where Vigil must point.
 */
final class PlantedBugs {

    private final Map<String, Integer> sessions = new HashMap<>();
    private final Map<String, Integer> metrics = new HashMap<>();

    String serve(String path) throws InterruptedException, ExecutionException {
        return switch (path) {
            case "/bugs/lookup" -> lookup();
            case "/bugs/login" -> login();
            case "/bugs/logout" -> logout();
            default -> null;
        };
    }

    private String lookup() throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(1); // vigil:expect executor-leak
        return pool.submit(() -> "user-" + Thread.currentThread().getName().length()).get();
    }

    private String login() {
        synchronized (sessions) { // vigil:expect lock-order-cycle
            synchronized (metrics) { // vigil:expect lock-order-cycle
                sessions.merge("user", 1, Integer::sum);
                metrics.merge("logins", 1, Integer::sum);
                return "sessions " + sessions.get("user");
            }
        }
    }

    private String logout() {
        synchronized (metrics) { // vigil:expect lock-order-cycle
            synchronized (sessions) { // vigil:expect lock-order-cycle
                sessions.merge("user", -1, Integer::sum);
                metrics.merge("logouts", 1, Integer::sum);
                return "sessions " + sessions.get("user");
            }
        }
    }
}
