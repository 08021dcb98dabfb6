package dev.vigil.agent.findings;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** What the report says about Vigil itself: what it instrumented, what failed, whether it works. */
public final class AgentHealth {

    private static final int MAX_SAMPLES = 10;

    /** Names listed in the report; the counts below are complete. */
    static final int MAX_NAMES = 200;

    private final java.util.Set<String> instrumented = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder transformations = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder skipped = new java.util.concurrent.atomic.LongAdder();
    private final List<String> errorSamples = new CopyOnWriteArrayList<>();
    private final AtomicLong errors = new AtomicLong();
    private volatile SelfTestResult selfTest = SelfTestResult.NOT_RUN;

    /** A class was rewritten (a retransformation counts again). */
    public void instrumented(String typeName) {
        transformations.increment();
        if (instrumented.size() < MAX_NAMES) {
            instrumented.add(typeName);
        }
    }

    /** An application class was scanned and left as it was: nothing in it is instrumented. */
    public void classSkipped() {
        skipped.increment();
    }

    /** {@code rewritten}: classes rewritten (and retransformed); {@code scannedUnchanged}: application classes left alone. */
    public java.util.Map<String, Long> classCounts() {
        java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
        counts.put("rewritten", transformations.sum());
        counts.put("scannedUnchanged", skipped.sum());
        return counts;
    }

    /** An error inside the agent (instrumentation, detector, sink). The host never sees it. */
    public void error(String what, Throwable t) {
        errors.incrementAndGet();
        if (errorSamples.size() < MAX_SAMPLES) {
            errorSamples.add(what + ": " + t);
        }
    }

    public void selfTest(SelfTestResult result) {
        selfTest = result;
    }

    /** As the report states it ({@link SelfTestResult#describe}). */
    public String selfTest() {
        return selfTest.describe();
    }

    public boolean selfTestPassed() {
        return selfTest.passed();
    }

    /** The first {@link #MAX_NAMES} classes rewritten, sorted. */
    public List<String> instrumented() {
        List<String> names = new ArrayList<>(instrumented);
        java.util.Collections.sort(names);
        return names;
    }

    public long errors() {
        return errors.get();
    }

    public List<String> errorSamples() {
        return new ArrayList<>(errorSamples);
    }
}
