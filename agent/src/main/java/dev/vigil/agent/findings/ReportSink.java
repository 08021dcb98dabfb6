package dev.vigil.agent.findings;

import dev.vigil.report.model.Report;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One place a report goes: a file, the console, the JFR recording. The publisher writes each
 * report to its sinks in order; a sink that fails is counted as an internal error and the ones
 * after it still run.
 */
public interface ReportSink {

    /** What the sink is called in a {@link Pass}: {@code json}, {@code html}, {@code console}, {@code jfr}. */
    String kind();

    /** What it does, for the agent's error samples: {@code writing /dir/vigil-report.json}. */
    String describe();

    /** The file it writes, or null. */
    default Path file() {
        return null;
    }

    /** Writes {@code report}; {@code pass} tells what the sinks before this one did with it. */
    void write(Report report, Pass pass) throws Exception;

    /** One report on its way through the sinks. */
    final class Pass {
        private final boolean printSummary;
        private final Map<String, Path> written = new HashMap<>();
        private final Map<String, String> failures = new HashMap<>();

        public Pass(boolean printSummary) {
            this.printSummary = printSummary;
        }

        /** Whether this report is one to summarise on the console (periodic ones are not). */
        public boolean printSummary() {
            return printSummary;
        }

        /** The sink of {@code kind} wrote {@code file}. */
        public void wrote(String kind, Path file) {
            written.put(kind, file);
        }

        /** The file the sink of {@code kind} wrote for this report, or null: a summary names only files written. */
        public Path written(String kind) {
            return written.get(kind);
        }

        public void failed(String kind, String why) {
            failures.put(kind, why);
        }

        /** Why the sink of {@code kind} failed, or null. */
        public String failure(String kind) {
            return failures.get(kind);
        }
    }
}
