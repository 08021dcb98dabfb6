package dev.vigil.agent;

import dev.vigil.agent.options.AgentOptions;
import dev.vigil.agent.options.OptionException;

import dev.vigil.agent.attach.AttachReply;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * The one install path. This class must not reference hook classes (package
 * {@code dev.vigil.bootstrap}): they may be loaded only after the hook jar is on the bootstrap
 * class path, else the application loader loads a second, uninitialised copy. Everything after
 * that point lives in {@link AgentRuntime}.
 *
 * <p>Every install validates its options first, the second one too: a bad option stops the JVM
 * before {@code main} ({@code -javaagent}) or is refused with one line on the target's stderr and
 * the same answer to the {@code attach} command (a running program is never stopped, and nothing
 * is thrown: a throw out of {@code agentmain} prints a stack trace on the target). A second
 * install with good options changes nothing and says so, naming how Vigil was loaded and where
 * it reports.
 */
public final class Vigil {

    /** How the agent was loaded. */
    public enum Mode { STARTUP, ATTACH }

    /** Set once the hooks are on the bootstrap class path: from then on, Vigil is never installed again. */
    private static Mode installedMode;
    private static Path installedReportDir;
    private static boolean started;

    private Vigil() {
    }

    /** {@code Vigil is already running in this JVM (loaded at startup, reports in /x)}. */
    private static String state() {
        return "Vigil is already " + (started ? "running" : "loaded, and failed to start,") + " in this JVM ("
                + (installedMode == Mode.STARTUP ? "loaded at startup" : "loaded by attach") + ", reports in "
                + installedReportDir + ")";
    }

    static synchronized void install(String rawArgs, Instrumentation inst, Mode mode) {
        String replyId = mode == Mode.ATTACH ? AttachReply.id(rawArgs) : null;
        String args = mode == Mode.ATTACH ? AttachReply.options(rawArgs) : rawArgs;
        long pid = ProcessHandle.current().pid();
        AgentOptions options;
        try {
            options = AgentOptions.parse(args, pid).prepare();
        } catch (OptionException e) {
            String line = "vigil: bad agent option: " + e.getMessage();
            System.err.println(line);
            System.err.flush();
            if (mode == Mode.ATTACH) {
                // A running program is never stopped; one that runs Vigil keeps it as it was.
                if (installedMode != null) {
                    AttachReply.answer(inst, replyId, AttachReply.ALREADY, line.substring("vigil: ".length())
                            + "; " + state() + " and is left as it was");
                } else {
                    AttachReply.answer(inst, replyId, AttachReply.ERROR, line);
                }
                return;
            }
            Runtime.getRuntime().halt(1);
            return;
        }
        if (installedMode != null) {
            String line = "vigil: " + state() + "; this " + (mode == Mode.STARTUP ? "-javaagent" : "attach")
                    + " is ignored and its options are not applied";
            System.err.println(line);
            AttachReply.answer(inst, replyId, AttachReply.ALREADY, line.substring("vigil: ".length()));
            return;
        }
        try {
            BootstrapJar.append(inst);
        } catch (IOException | RuntimeException e) {
            String line = "vigil: could not put its hooks on the bootstrap class path (" + e
                    + "); Vigil is off, the program runs without it";
            System.err.println(line);
            AttachReply.answer(inst, replyId, AttachReply.ERROR, line);
            return;
        }
        installedMode = mode;
        installedReportDir = options.reportDir().toAbsolutePath();
        try {
            AgentRuntime.start(options, inst, mode == Mode.STARTUP ? Thread.currentThread() : null);
            started = true;
            AttachReply.answer(inst, replyId, AttachReply.OK, installedReportDir.toString());
        } catch (Throwable t) {
            String line = "vigil: failed to start (" + t + "); Vigil is off, the program runs without it";
            System.err.println(line);
            AttachReply.answer(inst, replyId, AttachReply.ERROR, line);
        }
    }
}
