package dev.vigil.agent.cli;

import dev.vigil.agent.options.AgentOptions;
import dev.vigil.report.cli.ReportTool;
import java.io.PrintStream;

/**
 * {@code java -jar vigil-agent.jar <command> ...}: the commands of the agent jar. Each command
 * lives in its own tool; this class only picks one. Exit codes: 0 done, 1 the command failed,
 * 2 wrong usage.
 */
public final class Commands {

    private Commands() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "render":
            case "report":
                return ReportTool.run(args, out, err);
            case "baseline":
            case "sarif":
                return dev.vigil.report.cli.CiTool.run(args, out, err);
            case "attach":
            case "dump":
                return dev.vigil.agent.attach.AttachCommand.run(args, out, err);
            case "help":
            case "--help":
            case "-h":
                usage(out);
                return 0;
            default:
                if (!command.isEmpty()) {
                    err.println("vigil: unknown command '" + dev.vigil.report.text.Terminal.safe(command) + "'");
                }
                usage(err);
                return 2;
        }
    }

    private static void usage(PrintStream p) {
        p.println("usage: java -javaagent:vigil-agent.jar[=key=value,...] -jar your-app.jar");
        p.println("       options: " + String.join(", ", AgentOptions.KEYS) + " (see README)");
        p.println("   or: java -jar vigil-agent.jar <command>");
        p.println("       render <vigil-report.json> [-o <vigil-report.html>]   renders the HTML page from a JSON report");
        p.println("       report <recording.jfr> [-o <directory>]              rebuilds the JSON and HTML reports from a JFR recording");
        p.println("       baseline <vigil-report.json> [-o <vigil-baseline.json>] writes a baseline of a report's findings");
        p.println("       sarif <vigil-report.json> [-o <out.sarif>] [--source-root <dir>]...  writes SARIF 2.1.0");
        p.println("       attach <pid> [key=value,...]                          loads Vigil into a running JVM");
        p.println("       dump <pid>                                            makes a JVM running Vigil write its report now");
    }
}
