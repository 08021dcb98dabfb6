package dev.vigil.agent.report;

import dev.vigil.agent.findings.ReportSink;
import dev.vigil.report.model.Report;
import java.io.PrintStream;

/** The summary on stderr ({@link ConsoleSummary}), naming only the report files written for it. */
final class ConsoleSink implements ReportSink {

    private final PrintStream console;

    ConsoleSink(PrintStream console) {
        this.console = console;
    }

    @Override
    public String kind() {
        return "console";
    }

    @Override
    public String describe() {
        return "printing the summary";
    }

    @Override
    public void write(Report report, Pass pass) {
        if (!pass.printSummary()) {
            return;
        }
        for (String line : ConsoleSummary.lines(report, pass.written("json"), pass.written("html"))) {
            console.println(line);
        }
        console.flush();
    }
}
