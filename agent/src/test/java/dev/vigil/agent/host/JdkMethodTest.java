package dev.vigil.agent.host;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JdkMethodTest {

    static class Overrides extends LinkedBlockingQueue<Object> {
        @Override
        public int size() {
            throw new AssertionError("never called");
        }
    }

    /** Inherits the override of its application superclass. */
    static final class InheritsOverride extends Overrides {
    }

    /** Overrides something else: {@code size()} is still the JDK's. */
    static final class OverridesOther extends LinkedBlockingQueue<Object> {
        @Override
        public String toString() {
            throw new AssertionError("never called");
        }
    }

    @Test
    void tellsTheJdksImplementationFromAnApplicationOverride() {
        JdkMethod size = new JdkMethod("size");
        assertThat(size.isJdkCode(new LinkedBlockingQueue<>())).isTrue();
        assertThat(size.isJdkCode(new OverridesOther())).isTrue();
        assertThat(size.isJdkCode(new Overrides())).isFalse();
        assertThat(size.isJdkCode(new InheritsOverride())).isFalse();
        assertThat(size.isJdkCode(null)).isFalse();
    }

    @Test
    void aJdkSubclassOverridingIsStillJdkCodeAndParametersCount() throws InterruptedException {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
        try {
            Object task = s.schedule(() -> { }, 1, TimeUnit.HOURS); // ScheduledFutureTask overrides isPeriodic
            assertThat(new JdkMethod("isPeriodic").isJdkCode(task)).isTrue();
            assertThat(new JdkMethod("getDelay", TimeUnit.class).isJdkCode(task)).isTrue();
            assertThat(new JdkMethod("getDelay").isJdkCode(task)).as("no such method without the parameter").isFalse();
        } finally {
            s.shutdownNow();
            s.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 15 part 4: a JDK class another agent retransformed (Mockito's inline mock maker, for a
     * mock of it) no longer runs only the JDK's code, whatever its declared methods say. Only
     * java.util.concurrent classes and Thread are kept: a mock of an ArrayList changes nothing here.
     */
    @Test
    void aJdkClassRetransformedByAnotherAgentIsNoLongerJdkCode() {
        JdkMethod size = new JdkMethod("size");
        // ConcurrentLinkedDeque: used by no other test in this JVM (the set is global and never shrinks).
        java.util.concurrent.ConcurrentLinkedDeque<Object> deque = new java.util.concurrent.ConcurrentLinkedDeque<>();
        assertThat(size.isJdkCode(deque)).isTrue();
        dev.vigil.bootstrap.InterceptedClasses.retransformed(java.util.ArrayDeque.class, "java.util.ArrayDeque");
        assertThat(dev.vigil.bootstrap.InterceptedClasses.has(java.util.ArrayDeque.class)).as("not j.u.c").isFalse();
        assertThat(size.isJdkCode(new java.util.ArrayDeque<>())).isTrue();
        dev.vigil.bootstrap.InterceptedClasses.retransformed(java.util.concurrent.ConcurrentLinkedDeque.class,
                "java.util.concurrent.ConcurrentLinkedDeque");
        assertThat(size.isJdkCode(deque)).as("asked again after the retransformation, not cached").isFalse();
        assertThat(size.isJdkCode(new LinkedBlockingQueue<>())).as("another class").isTrue();
    }
}
