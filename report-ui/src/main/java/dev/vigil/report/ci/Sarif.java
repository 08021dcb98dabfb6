package dev.vigil.report.ci;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.report.json.AtomicFiles;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.Site;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A report as SARIF 2.1.0, for code-scanning annotations: one rule per finding kind, one result
 * per finding, one location per site ({@code file:line} of the site's application frame), the
 * fingerprint in {@code partialFingerprints["vigil/v1"]}.
 *
 * <p>A location's {@code artifactLocation.uri} is the source file relative to {@code base} (the
 * repository root, where CI runs) when it is found under one of the source roots, else the bare
 * file name ({@code Worker.java}), which code scanning cannot place but a person can.
 */
public final class Sarif {

    public static final String FINGERPRINT_KEY = "vigil/v1";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Sarif() {
    }

    public static void write(Report report, List<Path> sourceRoots, Path base, Path file) throws IOException {
        ObjectNode root = toSarif(report, sourceRoots, base);
        AtomicFiles.replace(file, out -> MAPPER.writeValue(out, root));
    }

    public static ObjectNode toSarif(Report report, List<Path> sourceRoots, Path base) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Vigil");
        if (report.agent() != null && report.agent().version() != null) {
            driver.put("version", report.agent().version());
        }
        driver.put("informationUri", "https://github.com/vigil-dev/vigil/blob/main/README.md#finding-kinds");
        ArrayNode rules = driver.putArray("rules");
        List<String> ruleIds = new ArrayList<>();
        ArrayNode results = run.putArray("results");
        for (Finding f : report.findings()) {
            int ruleIndex = ruleIds.indexOf(f.kind());
            if (ruleIndex < 0) {
                ruleIndex = ruleIds.size();
                ruleIds.add(f.kind());
                ObjectNode rule = rules.addObject();
                rule.put("id", f.kind());
                rule.putObject("shortDescription").put("text", "Vigil " + f.kind());
                if (f.howToFix() != null) {
                    rule.putObject("help").put("text", f.howToFix());
                }
            }
            ObjectNode r = results.addObject();
            r.put("ruleId", f.kind());
            r.put("ruleIndex", ruleIndex);
            r.put("level", switch (f.severity()) {
                case ERROR -> "error";
                case WARNING -> "warning";
                case INFO -> "note";
            });
            r.putObject("message").put("text", f.message() == null ? f.title() : f.title() + ". " + f.message());
            ArrayNode locations = r.putArray("locations");
            for (Site s : f.sites()) {
                Frame frame = siteFrame(s);
                if (frame == null || frame.file() == null) {
                    continue;
                }
                ObjectNode physical = locations.addObject().putObject("physicalLocation");
                physical.putObject("artifactLocation").put("uri", uri(frame, sourceRoots, base));
                if (frame.line() > 0) {
                    physical.putObject("region").put("startLine", frame.line());
                }
            }
            r.putObject("partialFingerprints").put(FINGERPRINT_KEY, f.fingerprint());
        }
        return root;
    }

    /** The frame the site's {@code location} names: its first application frame, else its first. */
    static Frame siteFrame(Site s) {
        for (Frame f : s.frames()) {
            if (f.location().equals(s.location())) {
                return f;
            }
        }
        return s.frames().isEmpty() ? null : s.frames().get(0);
    }

    static String uri(Frame frame, List<Path> sourceRoots, Path base) {
        String cls = frame.className();
        int dot = cls.lastIndexOf('.');
        String relative = (dot < 0 ? "" : cls.substring(0, dot).replace('.', '/') + "/") + frame.file();
        Path absBase = base.toAbsolutePath().normalize();
        for (Path root : sourceRoots) {
            Path candidate = root.toAbsolutePath().normalize().resolve(relative);
            if (Files.isRegularFile(candidate)) {
                Path shown = candidate.startsWith(absBase) ? absBase.relativize(candidate) : candidate;
                return shown.toString().replace('\\', '/');
            }
        }
        return frame.file();
    }
}
