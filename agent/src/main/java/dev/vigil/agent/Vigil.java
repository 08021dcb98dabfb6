package dev.vigil.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;

/**
 * The one install path. This class must not reference hook classes (package
 * {@code dev.vigil.bootstrap}): they may be loaded only after the hook jar is on the bootstrap
 * class path, else the application loader loads a second, uninitialised copy. Everything after
 * that point lives in {@link AgentRuntime}.
 */
public final class Vigil {

    /** How the agent was loaded. */
    public enum Mode { STARTUP, ATTACH }

    private static boolean installed;

    private Vigil() {
    }

    static synchronized void install(String args, Instrumentation inst, Mode mode) {
        if (installed) {
            System.err.println("vigil: already installed; ignoring the second install");
            return;
        }
        long pid = ProcessHandle.current().pid();
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, pid);
        } catch (OptionException e) {
            String line = "vigil: bad agent option: " + e.getMessage();
            if (mode == Mode.ATTACH) {
                // A running program is never stopped: the attach command reports the failure.
                throw new IllegalArgumentException(line);
            }
            System.err.println(line);
            System.err.flush();
            Runtime.getRuntime().halt(1);
            return;
        }
        try {
            BootstrapJar.append(inst);
        } catch (IOException | RuntimeException e) {
            System.err.println("vigil: could not put its hooks on the bootstrap class path (" + e
                    + "); Vigil is off, the program runs without it");
            return;
        }
        try {
            AgentRuntime.start(options, inst, mode == Mode.STARTUP ? Thread.currentThread() : null);
            installed = true;
        } catch (Throwable t) {
            System.err.println("vigil: failed to start (" + t + "); Vigil is off, the program runs without it");
        }
    }
}
