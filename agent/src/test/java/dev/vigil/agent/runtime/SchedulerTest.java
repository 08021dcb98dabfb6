package dev.vigil.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.AgentHealth;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchedulerTest {

    private final AgentHealth health = new AgentHealth();
    private final List<String> urgent = new CopyOnWriteArrayList<>();
    private final Scheduler scheduler = new Scheduler(health, urgent::add);
    private Thread thread;

    private void start() {
        thread = new Thread(scheduler, Scheduler.THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        scheduler.stop();
        if (thread != null) {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("the scheduler ends when stopped").isFalse();
        }
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(10, TimeUnit.SECONDS)).as("the check ran within 10 s").isTrue();
    }

    @Test
    void aCheckThatThrowsIsCountedAndTheOtherChecksAndItselfRunOn() throws InterruptedException {
        CountDownLatch thrown = new CountDownLatch(3);
        CountDownLatch other = new CountDownLatch(3);
        scheduler.every("a broken check", 5, () -> {
            thrown.countDown();
            throw new IllegalStateException("broken");
        });
        scheduler.every("a sound check", 5, () -> {
            other.countDown();
            return null;
        });
        start();

        await(thrown);
        await(other);
        assertThat(health.errors()).isGreaterThanOrEqualTo(3);
        assertThat(health.errorSamples()).allMatch(s -> s.contains("a broken check"));
        assertThat(urgent).isEmpty();
    }

    @Test
    void checksDueTogetherWriteOneUrgentReportWithTheFirstTrigger() throws InterruptedException {
        CountDownLatch both = new CountDownLatch(2);
        Runnable wakeFirst = scheduler.every("first", 60_000, () -> {
            both.countDown();
            return "deadlock";
        });
        Runnable wakeSecond = scheduler.every("second", 60_000, () -> {
            both.countDown();
            return "stuck-wait";
        });
        // Neither is due for a minute: woken before the loop starts, both run in its first round.
        wakeSecond.run();
        wakeFirst.run();
        start();
        await(both);
        stop();

        assertThat(urgent).containsExactly("deadlock");
        assertThat(health.errors()).isZero();
    }

    @Test
    void aWokenCheckRunsLongBeforeItsPeriodEvenAfterTheApplicationInterruptsTheThread() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        Runnable wake = scheduler.every("a check woken by a hook", 600_000, () -> {
            ran.countDown();
            return null;
        });
        start();
        for (int i = 0; i < 100; i++) {
            thread.interrupt(); // what a framework that interrupts every thread at the end of a test does
        }
        wake.run();

        await(ran);
        assertThat(thread.isAlive()).isTrue();
    }

    @Test
    void aPeriodicCheckRunsAgainAndAgain() throws InterruptedException {
        CountDownLatch five = new CountDownLatch(5);
        scheduler.every("periodic", 2, () -> {
            five.countDown();
            return null;
        });
        start();

        await(five);
    }
}
