package dev.vigil.agent.util;

/** Whether the JVM has begun to shut down. */
public final class JvmShutdown {

    private JvmShutdown() {
    }

    /**
     * True once the JVM has begun to shut down, even if Vigil's own shutdown hook has not run yet
     * (hooks run concurrently; JFR's own hook may be the one asking).
     */
    public static boolean begun() {
        Thread probe = new Thread(JvmShutdown::noop, "vigil-shutdown-probe");
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    private static void noop() {
        // never runs
    }
}
