package dev.vigil.junit;

/**
 * Marks the threads one test started. The extension makes a fresh {@code TestScope} the test
 * thread's context class loader for the duration of the test; the JDK copies a thread's context
 * class loader into every thread it creates, so threads the test starts, threads those start, and
 * the workers of executors the test creates all carry it, and any thread can read it
 * ({@link Thread#getContextClassLoader()}). Loading delegates to the original loader unchanged.
 */
final class TestScope extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final String test;

    TestScope(String test, ClassLoader original) {
        super("vigil-test-scope", original);
        this.test = test;
    }

    @Override
    public String toString() {
        return "vigil test scope of " + test + " over " + getParent();
    }
}
