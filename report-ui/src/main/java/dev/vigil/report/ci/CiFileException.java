package dev.vigil.report.ci;

/** A suppressions or baseline file that cannot be used; the message names the file (and line). */
public final class CiFileException extends Exception {

    private static final long serialVersionUID = 1L;

    public CiFileException(String message) {
        super(message);
    }
}
