package dev.vigil.agent.report;

import dev.vigil.agent.findings.ReportSink;
import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.nio.file.Path;

/** A report file, replaced atomically: the JSON report or the HTML page. */
final class FileSink implements ReportSink {

    @FunctionalInterface
    interface Writer {
        void write(Report report, Path file) throws IOException;
    }

    private final String kind;
    private final Path file;
    private final Writer writer;

    private FileSink(String kind, Path file, Writer writer) {
        this.kind = kind;
        this.file = file;
        this.writer = writer;
    }

    static FileSink json(Path dir) {
        return new FileSink("json", dir.resolve(ReportJson.FILE_NAME), ReportJson::writeAtomically);
    }

    static FileSink html(Path dir) {
        return new FileSink("html", dir.resolve(HtmlReport.FILE_NAME), HtmlReport::writeAtomically);
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public String describe() {
        return "writing " + file;
    }

    @Override
    public Path file() {
        return file;
    }

    @Override
    public void write(Report report, Pass pass) throws IOException {
        writer.write(report, file);
        pass.wrote(kind, file);
    }
}
