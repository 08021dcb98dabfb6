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
}
