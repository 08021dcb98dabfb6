package dev.vigil.agent.findings;

/**
 * What the self-test found: every check passed, or the first that failed and why. The report
 * states it as {@code passed} or {@code failed: <why>} ({@link #describe}).
 */
public record SelfTestResult(boolean passed, String failure) {

    public static final SelfTestResult PASSED = new SelfTestResult(true, null);
    /** Before the self-test has run. */
    public static final SelfTestResult NOT_RUN = new SelfTestResult(false, "not run");

    public static SelfTestResult failed(String why) {
        return new SelfTestResult(false, why);
    }

    /** {@code passed}, {@code not run}, or {@code failed: <why>}. */
    public String describe() {
        if (passed) {
            return "passed";
        }
        return this == NOT_RUN ? failure : "failed: " + failure;
    }
}
