package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A bad option stops the JVM before main with one line that names it and lists the valid ones. */
class OptionsTest {

    private static final String VALID = "valid options: report, include, exclude, exitGrace, interval, threadGrowth, summary, deadlockCheck, jdkLocks, stuckWait, longTask, memory, jfr, failOn, suppress, baseline";

    @TempDir
    Path work;


    private ChildJvm.Result runWith(Jdk jdk, String options) {
        return ChildJvm.on(jdk, work).agentOptions(options).main("dev.vigil.examples.threads.StoppedWorker").run();
    }

    private static void assertStoppedBeforeMain(ChildJvm.Result r, String expectedLine) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).as("main never ran").isEmpty();
        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).as(r.stderr()).containsExactly(expectedLine);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void unknownOption(Jdk jdk) {
        ChildJvm.Result r = runWith(jdk, "report=" + work.resolve("r") + ",bogus=1");
        assertStoppedBeforeMain(r, "vigil: bad agent option: unknown option 'bogus'; " + VALID);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void malformedDuration(Jdk jdk) {
        ChildJvm.Result r = runWith(jdk, "report=" + work.resolve("r") + ",exitGrace=soon");
        assertStoppedBeforeMain(r, "vigil: bad agent option: option 'exitGrace': 'soon' is not a duration "
                + "(use 0, or a number with ms, s, m or h, e.g. 500ms); " + VALID);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void malformedNumber(Jdk jdk) {
        ChildJvm.Result r = runWith(jdk, "report=" + work.resolve("r") + ",threadGrowth=-4");
        assertStoppedBeforeMain(r, "vigil: bad agent option: option 'threadGrowth': '-4' is not a positive whole number; "
                + VALID);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void unknownJdkLockClass(Jdk jdk) {
        ChildJvm.Result r = runWith(jdk, "report=" + work.resolve("r") + ",jdkLocks=Hashtable:StringBuilder");
        assertStoppedBeforeMain(r, "vigil: bad agent option: option 'jdkLocks': 'StringBuilder' is not one of Hashtable, "
                + "Vector, Observable, Collections, StringBuffer (separate them with ':'; or all, none); " + VALID);
    }

    @ParameterizedTest
    @MethodSource("dev.vigil.it.support.Jdk#all")
    void unwritableReportDirectory(Jdk jdk) throws Exception {
        Path file = Files.writeString(work.resolve("a-file"), "not a directory");
        ChildJvm.Result r = runWith(jdk, "report=" + file.resolve("sub"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stdout()).isEmpty();
        List<String> lines = r.stderr().lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("vigil: bad agent option: option 'report': directory " + file.resolve("sub")
                + " is not writable").endsWith(VALID);
    }
}
