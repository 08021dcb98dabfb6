package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Service lifecycle semantics (docs/lifecycle.md): the false alarms seen on real services are
 * gone, and the real leaks next to them are still flagged at the right line. Fixtures under
 * {@code dev.vigil.it.fixtures}, on JDK 17 and 25.
 */
class LifecycleTest {

    private static final String FIXTURES = "dev.vigil.it.fixtures.";

    @TempDir
    Path work;

    private ChildJvm fixture(Jdk jdk, String dir) {
        return ChildJvm.on(jdk, work.resolve(dir)).classpath(Paths.testClasses().toString());
    }

    private static Report healthy(ChildJvm.Result r) {
        Report report = r.report();
        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.agent().selfTest()).isEqualTo("passed");
        return report;
    }

    // ------------------------------------------------------------------ task tracking

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aPoolWhoseHooksSkipSuperHasItsTasksTrackedToTheEnd(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "finish").main(FIXTURES + "HooksWithoutSuper", "finish").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("ran 299 terminated true\n");
        Report report = healthy(r);
        assertThat(report.findings()).as(r.toString()).isEmpty();
        assertThat(report.tasks()).as("every task was seen to end").isNotEmpty()
                .allSatisfy(t -> assertThat(t.state()).isIn("completed", "failed"));
        assertThat(report.tasks()).filteredOn(t -> t.state().equals("failed")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void tasksCutOffInSuchAPoolAreStillATaskLeakAtTheSubmitLine(Jdk jdk) {
        ChildJvm.Result r = fixture(jdk, "cut").main(FIXTURES + "HooksWithoutSuper", "cut").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Finding leak = Findings.single(healthy(r), FindingKinds.TASK_LEAK);
        assertThat(leak.primaryLocation())
                .isEqualTo(ExampleSource.fixtureLine("HooksWithoutSuper.java", "lifecycle:cut-submit"));
        assertThat(leak.details()).containsEntry("count", 5).containsEntry("running", 3).containsEntry("queued", 2);
    }
}
