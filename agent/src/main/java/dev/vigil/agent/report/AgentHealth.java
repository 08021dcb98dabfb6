package dev.vigil.agent.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What the report says about Vigil itself: what it instrumented, what failed, whether it works. */
public final class AgentHealth {

    private static final int MAX_SAMPLES = 10;

    private final List<String> instrumented = new CopyOnWriteArrayList<>();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile String selfTest = "not run";

    public void instrumented(String typeName) {
        if (!instrumented.contains(typeName)) {
            instrumented.add(typeName);
        }
    }

    /** An error inside the agent (instrumentation, detector, sink). The host never sees it. */
    public void error(String what, Throwable t) {
        errors.incrementAndGet();
        if (errorSamples.size() < MAX_SAMPLES) {
            errorSamples.add(what + ": " + t);
        }
    }

    public void selfTest(String result) {
        selfTest = result;
    }

    public String selfTest() {
        return selfTest;
    }

    public List<String> instrumented() {
        return new ArrayList<>(instrumented);
    }

    public long errors() {
        return errors.get();
    }

    public List<String> errorSamples() {
        return new ArrayList<>(errorSamples);
    }
}
