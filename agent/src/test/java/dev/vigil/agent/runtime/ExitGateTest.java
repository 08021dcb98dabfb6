package dev.vigil.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.SuppressedFinding;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExitGateTest {

    private final ThreadLedger ledger = new ThreadLedger(new StackFrames(PackageFilter.of("", "")), 64, System::currentTimeMillis);
    private final List<Integer> halts = new ArrayList<>();
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private ExitGate gate(Severity failOn) {
        return new ExitGate(failOn, ledger, new PrintStream(console, true), halts::add);
    }

    private static Report report(List<Severity> severities, List<SuppressedFinding> suppressed) {
        List<Finding> findings = severities.stream().map(s -> new Finding("thread-leak", s, "0123456789abcdef", "t",
                null, null, null, null, null)).toList();
        return new Report(Report.SCHEMA_VERSION, null, findings, null, null, suppressed);
    }

    @Test
    void haltsWithStatusThreeWhenAFindingIsAtOrAboveTheThreshold() {
        gate(Severity.WARNING).check(report(List.of(Severity.ERROR, Severity.INFO), List.of()));
        assertThat(halts).containsExactly(3);
        assertThat(console.toString()).isEqualTo("vigil: failOn=warning: 1 finding at or above warning; exit status 3\n");
    }

    @Test
    void passesBelowTheThresholdWithoutAGateOrWithoutAReport() {
        gate(Severity.ERROR).check(report(List.of(Severity.WARNING), List.of()));
        gate(null).check(report(List.of(Severity.ERROR), List.of()));
        gate(Severity.INFO).check(null);
        assertThat(halts).isEmpty();
        assertThat(console.toString()).isEmpty();
    }

    @Test
    void saysHowManyWereSuppressed() {
        Finding f = new Finding("thread-leak", Severity.ERROR, "0123456789abcdef", "t", null, null, null, null, null);
        gate(Severity.INFO).check(report(List.of(Severity.INFO), List.of(SuppressedFinding.of(f, "baseline"))));
        assertThat(console.toString()).contains("1 finding at or above info (1 suppressed or in the baseline); exit status 3");
    }
}
