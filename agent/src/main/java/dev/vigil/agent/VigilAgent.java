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

    /** {@code java -jar vigil-agent.jar <command>}: the report commands (see README). */
    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("render") || args[0].equals("report"))) {
            dev.vigil.report.cli.ReportTool.main(args);
            return;
        }
        if (args.length > 0 && dev.vigil.report.cli.CiTool.COMMANDS.contains(args[0])) {
            dev.vigil.report.cli.CiTool.main(args);
            return;
        }
        if (args.length > 0 && dev.vigil.agent.attach.AttachCommand.COMMANDS.contains(args[0])) {
            dev.vigil.agent.attach.AttachCommand.main(args);
            return;
        }
        System.err.println("usage: java -javaagent:vigil-agent.jar[=key=value,...] -jar your-app.jar");
        System.err.println("       java -jar vigil-agent.jar render <vigil-report.json> [-o <page.html>]");
        System.err.println("       java -jar vigil-agent.jar report <recording.jfr> [-o <directory>]");
        System.err.println("       java -jar vigil-agent.jar baseline <vigil-report.json> [-o <vigil-baseline.json>]");
        System.err.println("       java -jar vigil-agent.jar sarif <vigil-report.json> [-o <out.sarif>] [--source-root <dir>]...");
        System.err.println("       java -jar vigil-agent.jar attach <pid> [key=value,...]");
        System.err.println("       java -jar vigil-agent.jar dump <pid>");
        System.err.println("options: " + String.join(", ", AgentOptions.KEYS) + " (see README)");
        System.exit(2);
    }
}
