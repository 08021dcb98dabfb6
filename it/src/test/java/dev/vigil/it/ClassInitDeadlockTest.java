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
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Class-initialization deadlocks (issue 18 part 3): reported while the program hangs, although the
 * JVM shows the threads as RUNNABLE and finds no deadlock; JDK 17 and 25.
 */
class ClassInitDeadlockTest {

    private static final String FIXTURE = "dev.vigil.it.fixtures.ClassInitDeadlock";

    @TempDir
    Path work;

    private static String line(String marker) {
        return ExampleSource.expectedLocation(Paths.testSources(), FIXTURE, marker);
    }

    static Stream<Arguments> hangs() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of(
                Arguments.of(jdk, "classes", List.of("pricing", "taxes"), List.of("class-init-prices", "class-init-taxes")),
                Arguments.of(jdk, "lock", List.of("plugin-loader", "registrar"),
                        List.of("class-init-registry", "class-init-user"))));
    }

    @ParameterizedTest
    @MethodSource("hangs")
    void threadsWaitingForEachOthersStaticInitializersAreADeadlockWhileTheProgramHangs(Jdk jdk, String mode,
            List<String> threads, List<String> markers) {
        ChildJvm.Running child = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main(FIXTURE, mode).start();
        Report report = child.awaitReportWhileHung(
                rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });

        assertThat(report.agent().internalErrors()).as(report.agent().errorSamples().toString()).isZero();
        assertThat(report.run().trigger()).isEqualTo("deadlock");
        Finding f = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(f.severity()).isEqualTo(Severity.ERROR);
        assertThat(f.details()).containsEntry("detectedBy", "class-init");
        assertThat(f.threads()).extracting(ThreadRef::name).containsExactlyInAnyOrderElementsOf(threads);
        // Where each thread waits: in a static initializer, or at the first use of the class.
        assertThat(f.sites()).extracting(Site::role).filteredOn(r -> r.contains(" waits for ")).hasSize(2);
        assertThat(f.sites()).filteredOn(s -> s.role().contains(" waits for ")).extracting(Site::location)
                .containsExactlyInAnyOrderElementsOf(markers.stream().map(ClassInitDeadlockTest::line).toList());
        assertThat(f.message()).contains("none of them can ever proceed");
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void theExampleStaticInitCycleIsADeadlockAndItsFixHasNoFindings(Jdk jdk) {
        String bad = "dev.vigil.examples.locks.StaticInitCycle";
        Report report = ChildJvm.on(jdk, work.resolve("bad")).main(bad).start()
                .awaitReportWhileHung(rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });
        assertThat(report.agent().internalErrors()).isZero();
        Finding f = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(f.details()).containsEntry("detectedBy", "class-init");
        assertThat(f.threads()).extracting(ThreadRef::name).containsExactlyInAnyOrder("prices", "quotes");
        assertThat(f.sites()).filteredOn(x -> x.role().contains(" waits for ")).extracting(Site::location)
                .containsExactlyInAnyOrderElementsOf(ExampleSource.expectedLocations(bad, FindingKinds.DEADLOCK));

        ChildJvm.Result good = ChildJvm.on(jdk, work.resolve("good")).main("dev.vigil.examples.locks.StaticInitHolder").run();
        assertThat(good.exitCode()).as(good.toString()).isZero();
        assertThat(good.stdout().lines().sorted().toList()).containsExactly("3 currencies", "default known true");
        assertThat(good.report().agent().internalErrors()).isZero();
        assertThat(good.report().findings()).isEmpty();
    }

    /** GROOVY-4736's shape: the loaders' own monitors, which the JVM sees; the deadlock watch reports it. */
    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void twoClassLoadersEachLoadingThroughTheOtherAreADeadlockWhileTheProgramHangs(Jdk jdk) {
        String fixture = "dev.vigil.it.fixtures.LoaderDeadlock";
        Report report = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString()).main(fixture).start()
                .awaitReportWhileHung(rep -> !Findings.ofKind(rep, FindingKinds.DEADLOCK).isEmpty(), () -> { });
        assertThat(report.agent().internalErrors()).isZero();
        Finding f = Findings.single(report, FindingKinds.DEADLOCK);
        assertThat(f.details()).containsEntry("detectedBy", "watch");
        assertThat(f.threads()).extracting(ThreadRef::name).containsExactlyInAnyOrder("script-loader", "plugin-loader");
        assertThat(f.sites()).extracting(Site::location).containsOnly(
                ExampleSource.expectedLocation(Paths.testSources(), fixture, "deadlock-held"),
                ExampleSource.expectedLocation(Paths.testSources(), fixture, FindingKinds.DEADLOCK));
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void aThreadWaitingForASlowStaticInitializerIsNoDeadlock(Jdk jdk) {
        ChildJvm.Result r = ChildJvm.on(jdk, work).classpath(Paths.testClasses().toString())
                .main(FIXTURE, "slow").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout()).isEqualTo("7\n7\nmain returns\n");
        assertThat(r.report().agent().internalErrors()).isZero();
        assertThat(r.report().findings()).isEmpty();
    }
}
