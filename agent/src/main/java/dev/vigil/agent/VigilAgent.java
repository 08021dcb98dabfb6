package dev.vigil.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points. {@code premain} and {@code agentmain} share one idempotent install.
 *
 * <p>What start-up must never do: let an exception reach the host (apart from a bad option,
 * which stops the JVM before {@code main} with one line, like a bad {@code -XX} flag); touch a
 * hook class before the hook jar is on the bootstrap class path; block.
 */
public final class VigilAgent {

    private VigilAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        Vigil.install(args, inst, Vigil.Mode.STARTUP);
    }

    public static void agentmain(String args, Instrumentation inst) {
        Vigil.install(args, inst, Vigil.Mode.ATTACH);
    }

    /** {@code java -jar vigil-agent.jar <command>}: see {@link dev.vigil.agent.cli.Commands}. */
    public static void main(String[] args) {
        System.exit(dev.vigil.agent.cli.Commands.run(args, System.out, System.err));
    }
}
