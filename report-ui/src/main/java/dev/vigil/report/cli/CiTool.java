package dev.vigil.report.cli;

import dev.vigil.report.ci.Baseline;
import dev.vigil.report.ci.Sarif;
import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CI commands:
 * <ul>
 *   <li>{@code baseline <report.json> [-o <vigil-baseline.json>]}: the baseline of every finding
 *       in a report (load it with the agent option {@code baseline=});</li>
 *   <li>{@code sarif <report.json> [-o <vigil-report.sarif>] [--source-root <dir>]...}: the report
 *       as SARIF 2.1.0; source roots make locations repository-relative paths.</li>
 * </ul>
 * Exit codes: 0 done, 1 the input is not a readable report (any malformed finding included) or
 * the output cannot be written (nothing is half-written), 2 wrong usage (an output that would
 * replace the input included). Every message is one line, sanitised for the terminal.
 */
public final class CiTool {

    public static final List<String> COMMANDS = List.of("baseline", "sarif");

    private CiTool() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guarded(CiTool::runUnchecked, args, out, err);
    }

    private static int runUnchecked(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            return usage(err);
        }
        boolean sarif = "sarif".equals(args[0]);
        Path input = null;
        Path output = null;
        List<Path> roots = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (("-o".equals(a) || "--output".equals(a)) && i + 1 < args.length) {
                output = Path.of(args[++i]);
            } else if (sarif && "--source-root".equals(a) && i + 1 < args.length) {
                roots.add(Path.of(args[++i]));
            } else if (a.startsWith("-") || input != null) {
                return usage(err);
            } else {
                input = Path.of(a);
            }
        }
        if (input == null) {
            return usage(err);
        }
        if (output == null) {
            output = Path.of(sarif ? "vigil-report.sarif" : "vigil-baseline.json");
        }
        if (Cli.sameFile(input, output)) {
            return Cli.refuseOverwrite(err, input, output);
        }
        Report report;
        try {
            report = ReportJson.read(input);
        } catch (ReportFormatException e) {
            Cli.say(err, e.getMessage());
            return 1;
        }
        try {
            if (sarif) {
                Sarif.write(report, roots, Path.of(""), output);
                Cli.say(out, "wrote " + output + " (" + report.findings().size() + " results)");
            } else {
                int known = Baseline.write(report, output);
                Cli.say(out, "wrote " + output + " (" + known + " known findings)");
            }
            return 0;
        } catch (IOException e) {
            Cli.say(err, "cannot write " + output + ": " + Cli.reason(e));
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: baseline <vigil-report.json> [-o <vigil-baseline.json>]");
        err.println("       sarif <vigil-report.json> [-o <vigil-report.sarif>] [--source-root <dir>]...");
        return 2;
    }
}
