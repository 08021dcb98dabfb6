package dev.vigil.report.cli;

import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code render <report.json> [-o <report.html>]}: renders the HTML page from a JSON report.
 * Exit codes: 0 done, 1 the input is not a readable report, 2 wrong usage.
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
        if (args.length == 0 || !"render".equals(args[0])) {
            return usage(err);
        }
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
        if (output == null) {
            Path parent = input.toAbsolutePath().getParent();
            output = parent.resolve(HtmlReport.FILE_NAME);
        }
        try {
            Report report = ReportJson.read(input);
            HtmlReport.writeAtomically(report, output);
            out.println("vigil: wrote " + output);
            return 0;
        } catch (ReportFormatException e) {
            err.println("vigil: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("vigil: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: render <vigil-report.json> [-o <vigil-report.html>]");
        return 2;
    }
}
