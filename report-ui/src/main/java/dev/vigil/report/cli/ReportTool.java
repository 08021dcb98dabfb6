package dev.vigil.report.cli;

import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.jfr.RecordingReader;
import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The report commands:
 * <ul>
 *   <li>{@code render <report.json> [-o <report.html>]}: renders the HTML page from a JSON report;</li>
 *   <li>{@code report <recording.jfr> [-o <dir>]}: rebuilds {@code vigil-report.json} and
 *       {@code vigil-report.html} from a JFR recording made with Vigil attached.</li>
 * </ul>
 * Exit codes: 0 done, 1 the input is not a readable report or recording or the output cannot be
 * written (nothing is half-written: each file is replaced atomically), 2 wrong usage (an output
 * that would replace the input included). Every message is one line, sanitised for the terminal.
 */
public final class ReportTool {

    private ReportTool() {
    }

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return Cli.guarded(ReportTool::runUnchecked, args, out, err);
    }

    private static int runUnchecked(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || !("render".equals(args[0]) || "report".equals(args[0]))) {
            return usage(err);
        }
        boolean fromRecording = "report".equals(args[0]);
        Path input = null;
        Path output = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (("-o".equals(a) || "--output".equals(a)) && i + 1 < args.length) {
                output = Path.of(args[++i]);
            } else if (a.startsWith("-") || input != null) {
                return usage(err);
            } else {
                input = Path.of(a);
            }
        }
        if (input == null) {
            return usage(err);
        }
        if (fromRecording) {
            return fromRecording(input, output == null ? Path.of("vigil-report") : output, out, err);
        }
        if (output == null) {
            Path parent = input.toAbsolutePath().getParent();
            output = parent.resolve(HtmlReport.FILE_NAME);
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
            HtmlReport.writeAtomically(report, output);
        } catch (IOException e) {
            Cli.say(err, "cannot write " + output + ": " + Cli.reason(e));
            return 1;
        }
        Cli.say(out, "wrote " + output);
        return 0;
    }

    private static int fromRecording(Path recording, Path dir, PrintStream out, PrintStream err) {
        Path json = dir.resolve(ReportJson.FILE_NAME);
        Path html = dir.resolve(HtmlReport.FILE_NAME);
        for (Path target : new Path[] {json, html}) {
            if (Cli.sameFile(recording, target)) {
                return Cli.refuseOverwrite(err, recording, target);
            }
        }
        Report report;
        try {
            report = RecordingReader.read(recording);
        } catch (ReportFormatException e) {
            Cli.say(err, e.getMessage());
            return 1;
        }
        try {
            ReportJson.writeAtomically(report, json);
        } catch (IOException e) {
            Cli.say(err, "cannot write " + json + ": " + Cli.reason(e));
            return 1;
        }
        try {
            HtmlReport.writeAtomically(report, html);
        } catch (IOException e) {
            Cli.say(err, "cannot write " + html + ": " + Cli.reason(e) + " (" + json + " was written)");
            return 1;
        }
        Cli.say(out, report.findings().size() + " findings from " + recording + "; wrote " + json + " and " + html);
        return 0;
    }

    private static int usage(PrintStream err) {
        err.println("usage: render <vigil-report.json> [-o <vigil-report.html>]");
        err.println("       report <recording.jfr> [-o <directory>]");
        return 2;
    }
}
