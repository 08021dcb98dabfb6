package dev.vigil.report.json;

/** A report file that cannot be read: missing, not JSON, or of a schema this version does not know. */
public final class ReportFormatException extends Exception {

    public ReportFormatException(String message) {
        super(message);
    }

    public ReportFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
