package dev.vigil.it.support;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Reads a child's JFR recording with the JDK's own parser. */
public final class Recordings {

    private Recordings() {
    }

    /** The events named {@code name} (e.g. {@code vigil.ThreadLeak}), oldest first. */
    public static List<RecordedEvent> events(Path jfr, String name) throws IOException {
        List<RecordedEvent> out = new ArrayList<>();
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                if (e.getEventType().getName().equals(name)) {
                    out.add(e);
                }
            }
        }
        out.sort(Comparator.comparing(RecordedEvent::getStartTime));
        return out;
    }
}
