package dev.vigil.agent.findings;

/** Where the program is when a report is written; detectors judge differently in each. */
public enum Phase {
    /** The program runs on (periodic or on-demand report): only what is already certain is flagged. */
    RUNNING("periodic"),
    /** {@code main} has returned but non-daemon threads keep the JVM alive. */
    EXIT_BLOCKED("exit-blocked"),
    /** The JVM is shutting down. */
    EXITING("exit");

    private final String trigger;

    Phase(String trigger) {
        this.trigger = trigger;
    }

    /** The {@code run.trigger} value of a report written in this phase. */
    public String trigger() {
        return trigger;
    }
}
