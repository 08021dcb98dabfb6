package dev.vigil.agent.jfr;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.ParseException;
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * The recording Vigil starts itself with {@code jfr=<file>}: the JDK's {@code default} settings
 * plus {@code vigil.jfc}, dumped to the file at exit by JFR and, on a deadlock, at once.
 */
public final class AgentRecording {

    /** The settings file in the agent jar (also in docs/). */
    public static final String JFC_RESOURCE = "/vigil.jfc";

    private final Recording recording;
    private final Path destination;

    private AgentRecording(Recording recording, Path destination) {
        this.recording = recording;
        this.destination = destination;
    }

    public static Configuration vigilConfiguration() throws IOException, ParseException {
        try (InputStream in = AgentRecording.class.getResourceAsStream(JFC_RESOURCE)) {
            if (in == null) {
                throw new IOException(JFC_RESOURCE + " is missing from the agent jar");
            }
            try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                return Configuration.create(r);
            }
        }
    }

    public static AgentRecording start(Path destination) throws IOException, ParseException {
        Map<String, String> settings = new HashMap<>(Configuration.getConfiguration("default").getSettings());
        settings.putAll(vigilConfiguration().getSettings());
        Recording r = new Recording(settings);
        r.setName("vigil");
        r.setToDisk(true);
        r.setDestination(destination);
        r.setDumpOnExit(true);
        r.start();
        return new AgentRecording(r, destination);
    }

    /**
     * Writes what has been recorded so far to the destination (the recording goes on): to a
     * temporary file next to it, then moved over it atomically, so that a reader (or JFR's own
     * dump at exit, writing the same file) never sees a half-written or empty recording. Skipped
     * once the JVM is shutting down ({@code JvmShutdown.begun}): JFR writes the whole
     * recording at exit itself.
     */
    public void dumpNow() throws IOException {
        if (dev.vigil.agent.util.JvmShutdown.begun()) {
            return;
        }
        Path dir = destination.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, destination.getFileName().toString(), ".tmp");
        try {
            recording.dump(tmp);
            Files.move(tmp, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public Path destination() {
        return destination;
    }
}
