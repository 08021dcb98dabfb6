package dev.vigil.agent.report;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Phase;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.jfr.JfrSink;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportPublisherTest {

    @TempDir
    Path dir;

    private final ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.of("", "")), 64,
            System::currentTimeMillis);
    private final AgentHealth health = new AgentHealth();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final CountDownLatch never = new CountDownLatch(1);

    private static Finding finding(String title) {
        return new Finding("thread-leak", Severity.WARNING, "0123456789abcdef", title, "m", "fix", List.of(),
                List.of(), Map.of());
    }

    /** A detector that waits for ever, as one blocked on an application's lock would. */
    private final Detector blocked = phase -> {
        try {
            never.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of(finding("never returned"));
    };

    @Test
    void anExitReportThatCannotFinishIsWrittenWithWhatItHasWithinTheBudget() throws Exception {
        Detector first = phase -> List.of(finding("from the first detector"));
        ReportBuilder builder = new ReportBuilder(Map.of(), System.currentTimeMillis(), ledger,
                List.of(first, blocked), health, "test");
        PrintStream out = new PrintStream(console, true);
        ReportPublisher publisher = new ReportPublisher(builder, health, out,
                ReportPublisher.standardSinks(dir, out, true, new JfrSink(id -> null, dir)));

        Thread[] builderThread = new Thread[1];
        Report r = publisher.publishWithin(Phase.EXITING, true, 200, body -> {
            Thread t = new Thread(body, "builder");
            t.setDaemon(true);
            builderThread[0] = t;
            t.start();
        });

        assertThat(r.findings()).extracting(Finding::title).containsExactly("from the first detector");
        Report written = ReportJson.read(dir.resolve(ReportJson.FILE_NAME));
        assertThat(written.findings()).extracting(Finding::title).containsExactly("from the first detector");
        assertThat(written.agent().internalErrors()).isEqualTo(1);
        assertThat(written.agent().errorSamples()).singleElement().asString()
                .contains("not finished within 200 ms", "detector");
        assertThat(console.toString()).contains("vigil: 1 finding");
        String consoleAtExit = console.toString();

        never.countDown(); // the late builder finishes, and writes nothing over the report written
        builderThread[0].join(10_000);
        assertThat(builderThread[0].isAlive()).isFalse();
        assertThat(ReportJson.read(dir.resolve(ReportJson.FILE_NAME)).findings()).extracting(Finding::title)
                .containsExactly("from the first detector");
        assertThat(console.toString()).isEqualTo(consoleAtExit);
    }

    @Test
    void anExitReportThatFinishesInTimeIsTheWholeReport() {
        Detector first = phase -> List.of(finding("one"));
        Detector second = phase -> List.of(finding("two"));
        ReportBuilder builder = new ReportBuilder(Map.of(), System.currentTimeMillis(), ledger,
                List.of(first, second), health, "test");
        PrintStream out = new PrintStream(console, true);
        ReportPublisher publisher = new ReportPublisher(builder, health, out,
                ReportPublisher.standardSinks(dir, out, false, new JfrSink(id -> null, dir)));

        Report r = publisher.publishWithin(Phase.EXITING, true, 60_000, body -> new Thread(body).start());

        assertThat(r.findings()).extracting(Finding::title).containsExactlyInAnyOrder("one", "two");
        assertThat(r.agent().internalErrors()).isZero();
    }

    /** A sink that records what it was given, or fails. */
    private static final class Probe implements dev.vigil.agent.findings.ReportSink {
        final String kind;
        final boolean fails;
        final List<String> seen = new java.util.ArrayList<>();

        Probe(String kind, boolean fails) {
            this.kind = kind;
            this.fails = fails;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public String describe() {
            return "writing " + kind;
        }

        @Override
        public Path file() {
            return Path.of("/nowhere", kind);
        }

        @Override
        public void write(Report report, Pass pass) throws java.io.IOException {
            if (fails) {
                throw new java.io.IOException("disk full");
            }
            seen.add(report.findings().get(0).title() + " json written: " + pass.written("json"));
        }
    }

    @Test
    void aSinkThatFailsIsCountedAndTheNextOnesStillWriteWhatWasWritten() {
        Detector one = phase -> List.of(finding("one"));
        ReportBuilder builder = new ReportBuilder(Map.of(), System.currentTimeMillis(), ledger, List.of(one), health,
                "test");
        Probe first = new Probe("first", false);
        Probe broken = new Probe("json", true);
        Probe last = new Probe("last", false);
        ReportPublisher publisher = new ReportPublisher(builder, health, new PrintStream(console, true),
                List.of(first, broken, last));

        publisher.publish(Phase.RUNNING, false);

        assertThat(first.seen).containsExactly("one json written: null");
        assertThat(last.seen).as("after the failed sink, knowing it wrote nothing").containsExactly("one json written: null");
        assertThat(health.errors()).isEqualTo(1);
        assertThat(health.errorSamples()).singleElement().asString().startsWith("writing json: java.io.IOException: disk full");
        assertThat(console.toString()).contains("vigil: could not write /nowhere/json: java.io.IOException: disk full");
        assertThat(publisher.jsonFailure()).startsWith("could not write /nowhere/json");
        assertThat(publisher.jsonFile()).isEqualTo(Path.of("/nowhere", "json"));
    }
}
