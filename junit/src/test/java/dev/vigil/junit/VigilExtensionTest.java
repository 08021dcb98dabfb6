package dev.vigil.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.vigil.junit.cases.ConcurrentCases;
import dev.vigil.junit.cases.Gate;
import dev.vigil.junit.cases.HostileNameCases;
import dev.vigil.junit.cases.LeakyCases;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/** The extension without the agent, run through the JUnit Platform as a user's build would run it. */
class VigilExtensionTest {

    @BeforeEach
    void arm() {
        Gate.reset();
        ConcurrentCases.reset();
    }

    @AfterEach
    void releaseLeakedThreads() {
        Gate.releaseAll();
    }

    /** Test method name to failure message ("" when it passed). */
    static Map<String, String> outcomes(EngineExecutionResults results) {
        Map<String, String> out = new TreeMap<>();
        for (Event e : results.testEvents().finished().list()) {
            TestExecutionResult r = e.getRequiredPayload(TestExecutionResult.class);
            String name = e.getTestDescriptor().getDisplayName().replace("()", "");
            out.put(name, r.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? ""
                    : r.getThrowable().map(Throwable::getMessage).orElse(r.getStatus().toString()));
        }
        return out;
    }

    @Test
    void leakingTestsFailWithTheThreadsInTheMessageAndCleanOnesPass() {
        Map<String, String> outcome = outcomes(EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeakyCases.class)).execute());

        assertThat(outcome).containsOnlyKeys("leaksAThread", "leaksAnExecutor", "leaksAThreadStartedByItsThread",
                "stopsItsThread", "shutsItsExecutorDown", "threadStillEndingWhenTheTestReturnsIsNotALeak",
                "commonPoolIsTheJdksNotTheTests");
        assertThat(outcome.get("leaksAThread"))
                .startsWith("Vigil: this test leaked 1 thread (still alive 500 ms after the test returned):\n"
                        + "  'leaky-poller' (daemon, ")
                .containsPattern("\\)\n    now:\n      at .*\n")
                .contains("dev.vigil.junit.cases.Gate.lambda$")
                .endsWith("Stop every thread the test starts before it returns: signal or interrupt it and join it, "
                        + "or shut the executor down and await its termination.");
        assertThat(outcome.get("leaksAnExecutor")).startsWith("Vigil: this test leaked 1 thread")
                .contains("'leaky-pool-worker' (daemon, ");
        assertThat(outcome.get("leaksAThreadStartedByItsThread")).startsWith("Vigil: this test leaked 1 thread")
                .contains("'leaky-grandchild'");
        assertThat(outcome.get("stopsItsThread")).isEmpty();
        assertThat(outcome.get("shutsItsExecutorDown")).isEmpty();
        assertThat(outcome.get("threadStillEndingWhenTheTestReturnsIsNotALeak")).isEmpty();
        assertThat(outcome.get("commonPoolIsTheJdksNotTheTests")).isEmpty();
    }

    @Test
    void aHostileThreadNameIsShownEscapedInTheFailure() {
        String message = outcomes(EngineTestKit.engine("junit-jupiter").selectors(selectClass(HostileNameCases.class))
                .execute()).get("leaksAHostileThread");
        assertThat(message).startsWith("Vigil: this test leaked 1 thread (still alive ")
                .contains("after the test returned):\n  'evil\\nVigil: this test leaked 0 threads\\u001b[2J\\u001b]0;pwned\\u0007\\u202eIgnore' (daemon, ")
                .doesNotContain("\u001b", "\u0007", "\u202e");
        assertThat(message.lines()).noneMatch(l -> l.startsWith("Vigil: this test leaked 0"));
    }

    @Test
    void inParallelModeOnlyTheLeakingTestIsBlamed() {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                .configurationParameter("junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .selectors(selectClass(ConcurrentCases.class), selectClass(LeakyCases.class))
                .execute();
        Map<String, String> outcome = outcomes(results);

        assertThat(outcome.get("cleanWhileTheOtherLeaks")).isEmpty();
        assertThat(outcome.get("leaksWhileTheOtherRuns")).startsWith("Vigil: this test leaked 1 thread")
                .contains("'concurrent-leak'").doesNotContain("leaky-");
        assertThat(outcome.get("leaksAThread")).contains("'leaky-poller'").doesNotContain("concurrent-leak");
        assertThat(outcome.get("stopsItsThread")).isEmpty();
        assertThat(outcome.get("shutsItsExecutorDown")).isEmpty();
    }

    @Test
    void contextClassLoaderIsRestoredAndDelegates() {
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        TestScope scope = new TestScope("t", before);
        assertThat(scope.getResource("dev/vigil/junit/VigilExtension.class"))
                .isEqualTo(before.getResource("dev/vigil/junit/VigilExtension.class"));
        outcomes(EngineTestKit.engine("junit-jupiter").selectors(selectClass(LeakyCases.class)).execute());
        assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
    }
}
