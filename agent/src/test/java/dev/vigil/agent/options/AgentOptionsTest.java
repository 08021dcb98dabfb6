package dev.vigil.agent.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentOptionsTest {

    @TempDir
    Path dir;

    @Test
    void defaultsApplyWhenOnlyTheReportIsGiven() throws Exception {
        AgentOptions o = AgentOptions.parse("report=" + dir, 42);
        assertThat(o.reportDir()).isEqualTo(dir.toAbsolutePath());
        assertThat(o.exitGraceMillis()).isEqualTo(2_000);
        assertThat(o.intervalMillis()).isZero();
        assertThat(o.threadGrowth()).isEqualTo(64);
        assertThat(o.summary()).isTrue();
        assertThat(o.stuckWaitMillis()).isEqualTo(30_000);
        assertThat(o.longTaskMillis()).isZero();
        assertThat(o.effective()).containsKeys(AgentOptions.KEYS.toArray(new String[0]));
    }

    @Test
    void everyOptionIsParsed() throws Exception {
        AgentOptions o = AgentOptions.parse("report=" + dir + ",include=com.acme.*:org.x.Y,exclude=com.acme.gen.*,"
                + "exitGrace=750ms,interval=1m,threadGrowth=5,summary=false,"
                + "stuckWait=1500ms,longTask=2m", 42);
        assertThat(o.stuckWaitMillis()).isEqualTo(1_500);
        assertThat(o.longTaskMillis()).isEqualTo(120_000);
        assertThat(o.exitGraceMillis()).isEqualTo(750);
        assertThat(o.intervalMillis()).isEqualTo(60_000);
        assertThat(o.threadGrowth()).isEqualTo(5);
        assertThat(o.summary()).isFalse();
        assertThat(o.packages().isApplication("com.acme.Service")).isTrue();
        assertThat(o.packages().isApplication("com.acme.gen.Stub")).isFalse();
        assertThat(o.packages().isApplication("org.x.Y")).isTrue();
        assertThat(o.packages().isApplication("org.x.Z")).isFalse();
    }

    @Test
    void pidAndTimestampExpandInTheReportPath() throws Exception {
        AgentOptions o = AgentOptions.parse("report=" + dir.resolve("r-%p-%t"), 4242).prepare();
        assertThat(o.reportDir().getFileName().toString()).matches("r-4242-\\d{8}-\\d{6}");
        assertThat(Files.isDirectory(o.reportDir())).isTrue();
    }

    @Test
    void durations() throws Exception {
        assertThat(AgentOptions.duration("k", "0")).isZero();
        assertThat(AgentOptions.duration("k", "15ms")).isEqualTo(15);
        assertThat(AgentOptions.duration("k", "3s")).isEqualTo(3_000);
        assertThat(AgentOptions.duration("k", "2h")).isEqualTo(7_200_000);
        assertThatThrownBy(() -> AgentOptions.duration("k", "5")).hasMessageContaining("option 'k': '5' is not a duration");
        assertThatThrownBy(() -> AgentOptions.duration("k", "-1s")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> AgentOptions.duration("k", "ms")).hasMessageContaining("not a duration");
    }

    @Test
    void badInputNamesTheOptionAndListsTheValidOnes() {
        String valid = "; valid options: report, include, exclude, exitGrace, interval, threadGrowth, summary, deadlockCheck, jdkLocks, stuckWait, longTask, memory, jfr, failOn, suppress, baseline";
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",nope=1", 1))
                .isInstanceOf(OptionException.class).hasMessage("unknown option 'nope'" + valid);
        assertThatThrownBy(() -> AgentOptions.parse("report", 1))
                .hasMessage("option 'report' needs a value (report=...)" + valid);
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",report=" + dir, 1))
                .hasMessage("option 'report' is given twice" + valid);
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",summary=yes", 1))
                .hasMessage("option 'summary': 'yes' is not true or false" + valid);
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",include=com/acme", 1))
                .hasMessageStartingWith("option 'include': 'com/acme' is not a class name pattern");
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",,", 1))
                .hasMessageStartingWith("empty option");
    }

    @Test
    void memoryIsABudgetInBinaryUnitsOrAuto() throws Exception {
        assertThat(AgentOptions.parse("report=" + dir, 1).memoryBytes()).isZero();
        assertThat(AgentOptions.parse("report=" + dir, 1).effective()).containsEntry("memory", "auto");
        assertThat(AgentOptions.parse("report=" + dir + ",memory=16m", 1).memoryBytes()).isEqualTo(16L << 20);
        assertThat(AgentOptions.parse("report=" + dir + ",memory=2048k", 1).memoryBytes()).isEqualTo(2L << 20);
        assertThat(AgentOptions.parse("report=" + dir + ",memory=1G", 1).memoryBytes()).isEqualTo(1L << 30);
        for (String bad : new String[] {"16", "512k", "-4m", "m", "lots", "99999999999999g"}) {
            assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",memory=" + bad, 1))
                    .isInstanceOf(OptionException.class)
                    .hasMessageStartingWith("option 'memory': '" + bad + "' is not a size");
        }
    }

    @Test
    void unwritableReportDirectoryIsRejected() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> AgentOptions.parse("report=" + file.resolve("sub"), 1).prepare())
                .hasMessageStartingWith("option 'report': directory " + file.resolve("sub") + " is not writable");
    }

    @Test
    void ciGateOptions() throws Exception {
        Path rules = Files.writeString(dir.resolve("suppress.txt"), "kind thread-leak\n");
        AgentOptions o = AgentOptions.parse("report=" + dir + ",failOn=WARNING,suppress=" + rules, 1).prepare();
        assertThat(o.failOn()).isEqualTo(dev.vigil.report.model.Severity.WARNING);
        assertThat(o.effective()).containsEntry("failOn", "warning").containsEntry("suppress", rules.toString());
        assertThat(AgentOptions.parse("report=" + dir, 1).failOn()).isNull();

        String valid = "; valid options: report, include, exclude, exitGrace, interval, threadGrowth, summary, deadlockCheck, jdkLocks, stuckWait, longTask, memory, jfr, failOn, suppress, baseline";
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",failOn=sometimes", 1))
                .hasMessage("option 'failOn': 'sometimes' is not one of none, error, warning, info" + valid);
        Path bad = Files.writeString(dir.resolve("bad.txt"), "# ok\nkind nonsense\n");
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",suppress=" + bad, 1).prepare())
                .hasMessageStartingWith("option 'suppress': bad.txt:2: unknown finding kind 'nonsense'").hasMessageEndingWith(valid);
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",baseline=" + dir.resolve("none.json"), 1).prepare())
                .hasMessage("option 'baseline': " + dir.resolve("none.json") + ": no such file" + valid);
    }

    @Test
    void jdkLocksNamesTheJdkMonitorsToTrack() throws Exception {
        assertThat(AgentOptions.parse("report=" + dir, 1).jdkLocks())
                .containsExactlyInAnyOrder("Hashtable", "Vector", "Observable", "Collections");
        assertThat(AgentOptions.parse("report=" + dir + ",jdkLocks=Vector:StringBuffer", 1).jdkLocks())
                .containsExactlyInAnyOrder("Vector", "StringBuffer");
        assertThat(AgentOptions.parse("report=" + dir + ",jdkLocks=all", 1).jdkLocks()).hasSize(5);
        assertThat(AgentOptions.parse("report=" + dir + ",jdkLocks=none", 1).jdkLocks()).isEmpty();
        assertThat(AgentOptions.parse("report=" + dir + ",jdkLocks=none", 1).effective()).containsEntry("jdkLocks", "none");

        String valid = "; valid options: report, include, exclude, exitGrace, interval, threadGrowth, summary, deadlockCheck, jdkLocks, stuckWait, longTask, memory, jfr, failOn, suppress, baseline";
        assertThatThrownBy(() -> AgentOptions.parse("report=" + dir + ",jdkLocks=Hashtable:StringBuilder", 1))
                .hasMessage("option 'jdkLocks': 'StringBuilder' is not one of Hashtable, Vector, Observable, Collections, "
                        + "StringBuffer (separate them with ':'; or all, none)" + valid);
    }

    @Test
    void parsingTouchesNoFileAndPreparingMakesWhatTheOptionsName() throws Exception {
        Path report = dir.resolve("reports/r-%p");
        Path jfr = dir.resolve("recordings/app.jfr");
        Path missing = dir.resolve("no-such-suppressions.txt");
        AgentOptions o = AgentOptions.parse("report=" + report + ",jfr=" + jfr + ",suppress=" + missing, 7);
        assertThat(o.reportDir()).isEqualTo(dir.resolve("reports/r-7"));
        assertThat(o.jfrFile()).isEqualTo(jfr);
        assertThat(dir.resolve("reports")).doesNotExist();
        assertThat(dir.resolve("recordings")).doesNotExist();
        assertThatThrownBy(o::prepare).hasMessageStartingWith("option 'suppress': " + missing + ": no such file");

        AgentOptions ok = AgentOptions.parse("report=" + report + ",jfr=" + jfr, 7).prepare();
        assertThat(ok.reportDir()).isDirectory();
        assertThat(jfr.getParent()).isDirectory();
        assertThat(dir.resolve("reports/r-7")).isEmptyDirectory();
    }

    /** The README's options table is the user's view of {@link AgentOptions#OPTIONS}: the same keys, in order, with the same defaults. */
    @Test
    void theReadmeTableListsEveryOptionWithItsDefault() throws Exception {
        java.util.List<String[]> rows = new java.util.ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("..", "README.md"))) {
            if (line.startsWith("| option | default |")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                rows.add(new String[] {cells[1].trim(), cells[2].trim()});
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        assertThat(rows).extracting(r -> r[0].replace("`", ""))
                .containsExactlyElementsOf(AgentOptions.KEYS);
        for (int i = 0; i < rows.size(); i++) {
            String def = AgentOptions.OPTIONS.get(i).defaultValue();
            if (!def.isEmpty()) {
                assertThat(rows.get(i)[1]).as(AgentOptions.KEYS.get(i)).contains("`" + def + "`");
            }
        }
    }
}
