package dev.vigil.report.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.report.json.AtomicFiles;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The findings a code base already had when it adopted Vigil, by fingerprint. Findings in the
 * baseline are left out of the gate (and listed as {@code suppressed} with reason
 * {@code baseline}), so a team fails only on new ones. The file is JSON:
 * <pre>
 * {"vigilBaseline": 1, "findings": [{"fingerprint": "...", "kind": "...", "title": "..."}]}
 * </pre>
 * Only {@code fingerprint} is used to match; kind and title are there for the reviewer.
 */
public final class Baseline {

    public static final int VERSION = 1;
    /** Made on first use: {@code Baseline.none()} runs in premain, where Jackson cost 140 ms of start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    private final Set<String> fingerprints;

    private Baseline(Set<String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    public static Baseline none() {
        return new Baseline(Set.of());
    }

    public boolean contains(Finding f) {
        return fingerprints.contains(f.fingerprint());
    }

    public int size() {
        return fingerprints.size();
    }

    /**
     * Writes the baseline of every finding in {@code report} (suppressed ones too: they are known);
     * returns how many distinct fingerprints it holds.
     */
    public static int write(Report report, Path file) throws IOException {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("vigilBaseline", VERSION);
        ArrayNode list = root.putArray("findings");
        Set<String> seen = new LinkedHashSet<>();
        for (Finding f : report.findings()) {
            if (seen.add(f.fingerprint())) {
                list.addObject().put("fingerprint", f.fingerprint()).put("kind", f.kind()).put("title", f.title());
            }
        }
        report.suppressed().forEach(s -> {
            if (seen.add(s.fingerprint())) {
                list.addObject().put("fingerprint", s.fingerprint()).put("kind", s.kind()).put("title", s.title());
            }
        });
        AtomicFiles.replace(file, out -> Json.MAPPER.writeValue(out, root));
        return seen.size();
    }

    public static Baseline read(Path file) throws CiFileException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new CiFileException(file + ": no such file");
        } catch (IOException e) {
            throw new CiFileException(file + ": not a Vigil baseline (malformed JSON: "
                    + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.path("vigilBaseline").isInt() || !root.path("findings").isArray()) {
            throw new CiFileException(file + ": not a Vigil baseline (expected {\"vigilBaseline\": 1, \"findings\": [...]};"
                    + " write one with: java -jar vigil-agent.jar baseline vigil-report.json -o " + file.getFileName() + ")");
        }
        if (root.get("vigilBaseline").asInt() != VERSION) {
            throw new CiFileException(file + ": baseline version " + root.get("vigilBaseline").asInt()
                    + " is not supported (this Vigil reads version " + VERSION + ")");
        }
        Set<String> fps = new LinkedHashSet<>();
        int i = 0;
        for (JsonNode n : root.get("findings")) {
            if (!n.path("fingerprint").isTextual()) {
                throw new CiFileException(file + ": findings[" + i + "] has no fingerprint");
            }
            fps.add(n.get("fingerprint").asText());
            i++;
        }
        return new Baseline(Set.copyOf(fps));
    }
}
