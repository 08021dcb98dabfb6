package dev.vigil.agent.control;

/**
 * Vigil's management interface, registered as {@code dev.vigil:type=Vigil} in the platform MBean
 * server (JConsole, VisualVM, {@code java -jar vigil-agent.jar dump <pid>}). See docs/ci.md.
 */
public interface VigilControlMBean {

    /** The object name under which Vigil registers. */
    String OBJECT_NAME = "dev.vigil:type=Vigil";

    /** Writes the JSON and HTML reports now (trigger {@code on-demand}); returns the JSON file's path. */
    String writeReport();

    /**
     * Starts a new scope: everything Vigil tracks that exists now (live threads; the other
     * detectors' state) is never a finding later. Returns how many live application threads left scope.
     */
    int resetScope();

    /**
     * The findings a report written now would contain, at or above {@code minSeverity}
     * ({@code error}, {@code warning}, {@code info}), one a line:
     * {@code severity kind fingerprint threadIds title}, thread ids comma-separated or {@code -}.
     */
    String[] findings(String minSeverity);

    /** Where the live thread with this id was started ({@code File.java:N} and its stack), or null. */
    String threadStartSite(long threadId);

    /** {@code startup} ({@code -javaagent}) or {@code attach}. */
    String getMode();

    /** When Vigil started tracking (ISO-8601). */
    String getStart();

    /** The JSON report file. */
    String getReportFile();
}
