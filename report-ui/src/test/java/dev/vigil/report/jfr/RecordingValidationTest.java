package dev.vigil.report.jfr;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.report.json.ReportFormatException;
import java.nio.file.Path;
import jdk.jfr.Event;
import jdk.jfr.Name;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A recording whose finding event carries a malformed finding gets the same one line as a JSON report. */
class RecordingValidationTest {

    @TempDir
    Path dir;

    @Name(JfrNames.THREAD_LEAK)
    static class FindingEvent extends Event {
        @Name(JfrNames.FINDING_JSON)
        String findingJson;
    }

    @Test
    void aFindingWithoutAFingerprintIsNamed() throws Exception {
        Path file = dir.resolve("rec.jfr");
        try (Recording r = new Recording()) {
            r.enable(FindingEvent.class);
            r.start();
            FindingEvent e = new FindingEvent();
            e.findingJson = "{\"kind\":\"thread-leak\",\"severity\":\"warning\",\"title\":\"t\",\"message\":\"m\"}";
            e.commit();
            r.stop();
            r.dump(file);
        }
        assertThatThrownBy(() -> RecordingReader.read(file))
                .isInstanceOf(ReportFormatException.class)
                .hasMessage(file + ": findings[0] has no fingerprint (every finding needs kind, severity, fingerprint,"
                        + " title and message)");
    }
}
