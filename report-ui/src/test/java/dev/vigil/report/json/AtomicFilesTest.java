package dev.vigil.report.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private Path touch(String name, long ageMillis) throws IOException {
        Path p = Files.writeString(dir.resolve(name), "half a rep");
        Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusMillis(ageMillis)));
        return p;
    }

    private void write(String name, String content) throws IOException {
        AtomicFiles.replace(dir.resolve(name), out -> out.write(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void leavesOnlyTheTargetBehind() throws IOException {
        write("vigil-report.json", "{}");
        assertThat(files()).containsExactly("vigil-report.json");
    }

    @Test
    void staleTemporaryFilesOfTheTargetAreDeletedOnTheNextWrite() throws IOException {
        long hour = 60 * 60 * 1000L;
        long livePid = ProcessHandle.current().parent().orElseThrow().pid();
        long self = ProcessHandle.current().pid();
        // What a kill -9 during a write leaves: this version's names carry the writer's pid.
        touch(".vigil-report.json.2147483646.123.tmp", 0);            // a dead writer: stale at once
        touch(".vigil-report.json." + self + ".77.tmp", 0);          // this pid, not in flight: an earlier incarnation
        touch(".vigil-report.json." + livePid + ".5.tmp", 0);        // a live writer: kept
        touch(".vigil-report.json." + livePid + ".6.tmp", hour);     // live pid but an hour old: the pid was reused
        // Names of versions before the pid: deleted once old.
        touch(".vigil-report.json8812734.tmp", hour);
        touch(".vigil-report.json991.tmp", 0);
        // Not ours: another target's temporary file, and a user's file.
        touch(".vigil-report.html.2147483646.1.tmp", 0);
        touch(".vigil-report.json.notes.tmp", hour);

        write("vigil-report.json", "{}");

        assertThat(files()).containsExactly(".vigil-report.html.2147483646.1.tmp",
                ".vigil-report.json." + livePid + ".5.tmp", ".vigil-report.json.notes.tmp",
                ".vigil-report.json991.tmp", "vigil-report.json");
        assertThat(Files.readString(dir.resolve("vigil-report.json"))).isEqualTo("{}");
    }

    @Test
    void aDirectoryInTheWayIsNamedAndLeftAlone() throws IOException {
        Files.createDirectory(dir.resolve("vigil-report.json"));
        assertThatThrownBy(() -> write("vigil-report.json", "{}"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageEndingWith("vigil-report.json: is a directory");
        assertThat(files()).containsExactly("vigil-report.json");
        assertThat(Files.isDirectory(dir.resolve("vigil-report.json"))).isTrue();
    }

    @Test
    void aFailedBodyLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        write("r.json", "old");
        assertThatThrownBy(() -> AtomicFiles.replace(dir.resolve("r.json"), out -> {
            out.write("new, half".getBytes(StandardCharsets.UTF_8));
            throw new IOException("No space left on device");
        })).hasMessage("No space left on device");
        assertThat(files()).containsExactly("r.json");
        assertThat(Files.readString(dir.resolve("r.json"))).isEqualTo("old");
    }
}
