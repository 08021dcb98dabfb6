package dev.vigil.report.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The JSON form of a {@link Report} (documented in {@code docs/report-schema.md}). */
public final class ReportJson {

    public static final String FILE_NAME = "vigil-report.json";

    /**
     * Reads reports (and writes what {@link RecordJson} does not know). Created on first use: the
     * agent only writes, and the mapper's start-up is most of a first report's cost.
     */
    private static final class Mappers {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    private ReportJson() {
    }

    static ObjectMapper mapper() {
        return Mappers.MAPPER;
    }

    public static void write(Report report, OutputStream out) throws IOException {
        RecordJson.write(report, out, true);
    }

    /** One part of a report (a finding, the run, the agent) as compact JSON, as JFR events carry it. */
    public static String partToJson(Object part) {
        try {
            return RecordJson.toString(part, false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a part written by {@link #partToJson}. */
    public static <T> T partFromJson(String json, Class<T> type) throws ReportFormatException {
        try {
            return Mappers.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new ReportFormatException("malformed " + type.getSimpleName() + " JSON: " + firstLine(e.getMessage()), e);
        }
    }

    public static String toJson(Report report) {
        try {
            return RecordJson.toString(report, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the report on one line, for embedding (the HTML page carries it); leaves {@code out} open. */
    public static void writeCompact(Report report, Writer out) throws IOException {
        RecordJson.write(report, out, false);
    }

    /** Writes {@code report} to {@code file}, replacing it atomically. */
    public static void writeAtomically(Report report, Path file) throws IOException {
        AtomicFiles.replace(file, out -> write(report, out));
    }

    /** Reads a report, or explains in one sentence why the file is not one. */
    public static Report read(Path file) throws ReportFormatException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ReportFormatException(file + ": no such file");
        } catch (IOException e) {
            throw new ReportFormatException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(bytes, file.toString());
    }

    public static Report parse(byte[] bytes, String name) throws ReportFormatException {
        JsonNode root;
        try {
            root = Mappers.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ReportFormatException(name + ": not valid JSON: " + firstLine(e.getMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new ReportFormatException(name + ": not a Vigil report (expected a JSON object)");
        }
        JsonNode version = root.get("schemaVersion");
        if (version == null || !version.isInt()) {
            throw new ReportFormatException(name + ": not a Vigil report (no integer schemaVersion)");
        }
        if (version.intValue() != Report.SCHEMA_VERSION) {
            throw new ReportFormatException(name + ": unsupported schemaVersion " + version.intValue()
                    + " (this Vigil reads version " + Report.SCHEMA_VERSION + ")");
        }
        ReportValidation.checkTree(root, name);
        Report report;
        try {
            report = Mappers.MAPPER.treeToValue(root, Report.class);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            String at = path(e.getPath());
            throw new ReportFormatException(name + ": malformed Vigil report: " + (at.isEmpty() ? "" : at + ": ")
                    + String.valueOf(e.getOriginalMessage()).replaceAll("\\b(?:[a-z_][a-z0-9_]*\\.)+([A-Z])", "$1"), e);
        } catch (IOException | RuntimeException e) {
            throw new ReportFormatException(name + ": malformed Vigil report: " + firstLine(e.getMessage()), e);
        }
        ReportValidation.check(report, name);
        return report;
    }

    /** {@code findings[0].sites[1].frames}: where Jackson stopped. */
    private static String path(java.util.List<com.fasterxml.jackson.databind.JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (com.fasterxml.jackson.databind.JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
