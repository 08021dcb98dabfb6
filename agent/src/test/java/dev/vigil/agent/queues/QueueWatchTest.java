package dev.vigil.agent.queues;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Phase;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.bootstrap.QueueListener;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Severity;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The queue ledger and watch, driven the way QueueCalls drives them (no instrumentation). */
class QueueWatchTest {

    private static final String PUT_SITE = "A|com.example.app.Jobs|submit|42";
    private static final String TAKE_SITE = "A|com.example.app.Jobs|work|57";

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final QueueLedger ledger = new QueueLedger(clock::get);
    private final StackFrames stacks = new StackFrames(PackageFilter.of("com.example.*", ""));
    private final AgentHealth health = new AgentHealth();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseThreads() {
        release.countDown();
    }

    private QueueWatch watch(long stuckWaitMillis) {
        return new QueueWatch(ledger, stacks, new ThreadRefs(stacks), stuckWaitMillis, clock::get, health);
    }

    /** A thread that makes one operation on {@code q} as {@code role}, then parks until the test ends. */
    private Thread party(String name, Object q, int role, String site) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            ledger.operated(q, site, role, true);
            done.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        t.setDaemon(true);
        t.start();
        done.await();
        return t;
    }

    /** A thread blocked in a queue call (announced to the ledger), until the test ends. */
    private Thread waiter(String name, Object q, int role, String site) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            Object token = ledger.waitStarting(q, site, role);
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                ledger.waitEnded(token, false);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        started.await();
        return t;
    }

    /** A thread that makes one operation on {@code q} as {@code role} and ends (the ledger told, as ThreadLedger does). */
    private void ended(String name, Object q, int role, String site) throws InterruptedException {
        Thread t = new Thread(() -> {
            ledger.operated(q, site, role, role == QueueListener.PUT);
            ledger.threadEnded(Thread.currentThread());
        }, name);
        t.start();
        t.join();
    }

    private static void blockedFor(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aProducerBlockedOnAQueueWithALiveConsumerIsAStuckWaitWarningOnly() throws Exception {
        ArrayBlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
        q.add("full");
        ledger.created(q, "A|com.example.app.Jobs|<init>|12");
        party("consumer", q, QueueListener.TAKE, TAKE_SITE);
        waiter("producer", q, QueueListener.PUT, PUT_SITE);
        QueueWatch watch = watch(5);
        blockedFor(10);
        assertThat(watch.check(false)).isEqualTo(FindingKinds.STUCK_WAIT);
        assertThat(watch.check(false)).as("reported once").isNull();
        List<Finding> findings = watch.findings(Phase.RUNNING);
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKinds.STUCK_WAIT);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.primaryLocation()).isEqualTo("Jobs.java:42");
            assertThat(f.sites().get(1).location()).isEqualTo("Jobs.java:12");
            assertThat(f.details()).containsEntry("primitive", "queue").containsEntry("ended", false);
            assertThat(f.threads()).extracting(t -> t.name()).containsExactly("producer", "consumer");
        });
        release.countDown();
        // The wait ended: the finding stays, marked ended.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Boolean) watch.findings(Phase.RUNNING).get(0).details().get("ended") && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(watch.findings(Phase.RUNNING).get(0).details()).containsEntry("ended", true);
    }

    @Test
    void anIdleConsumerOfALivePipelineIsNotAFinding() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        party("producer", q, QueueListener.PUT, PUT_SITE);
        waiter("consumer", q, QueueListener.TAKE, TAKE_SITE);
        QueueWatch watch = watch(1);
        blockedFor(5);
        assertThat(watch.check(false)).isNull();
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
    }

    @Test
    void aConsumerWaitingAfterItsProducerEndedIsAnOrphanOnceConfirmed() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ended("producer", q, QueueListener.PUT, PUT_SITE);
        waiter("consumer", q, QueueListener.TAKE, TAKE_SITE);
        QueueWatch watch = watch(0);
        assertThat(watch.check(false)).as("not blocked long enough yet").isNull();
        blockedFor(QueueWatch.ORPHAN_CONFIRM_MILLIS + 10);
        assertThat(watch.check(false)).as("first sighting").isNull();
        assertThat(watch.check(false)).as("confirmed").isEqualTo(FindingKinds.QUEUE_ORPHAN);
        assertThat(watch.findings(Phase.RUNNING)).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
            assertThat(f.primaryLocation()).isEqualTo("Jobs.java:57");
            assertThat(f.details()).containsEntry("reason", "producers-ended");
        });
    }

    /** Tomcat at SIGTERM: its poller (the producer) stops first, its idle workers still wait on the task queue. */
    @Test
    void aConsumerWhoseProducerEndedOnceShutdownBeganIsNeitherStuckNorOrphaned() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        QueueWatch watch = watch(1);
        long shutdownAt = clock.get();
        watch.shutdownStartedAt(() -> shutdownAt);
        clock.addAndGet(10);
        ended("producer", q, QueueListener.PUT, PUT_SITE); // after the shutdown began
        waiter("consumer", q, QueueListener.TAKE, TAKE_SITE);
        blockedFor(QueueWatch.ORPHAN_CONFIRM_MILLIS + 10);
        assertThat(watch.check(false)).isNull();
        assertThat(watch.check(true)).isNull();
        assertThat(watch.findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void aConsumerWhoseProducerEndedBeforeShutdownIsStuck() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        QueueWatch watch = watch(1);
        ended("producer", q, QueueListener.PUT, PUT_SITE);
        clock.addAndGet(10);
        long shutdownAt = clock.get();
        watch.shutdownStartedAt(() -> shutdownAt);
        waiter("consumer", q, QueueListener.TAKE, TAKE_SITE);
        blockedFor(10);
        assertThat(watch.check(true)).isEqualTo(FindingKinds.STUCK_WAIT);
    }

    /**
     * A live pipeline's last step (issue 18): the producer puts its last item and ends, which wakes
     * the consumer; a look that comes before the consumer's take is told over must not call it stuck.
     */
    @Test
    void aConsumerWokenByTheLastItemOfItsEndedProducerIsNotStuck() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        QueueWatch watch = watch(1);
        waiter("consumer", q, QueueListener.TAKE, TAKE_SITE);
        q.add("last");
        ended("producer", q, QueueListener.PUT, PUT_SITE);
        blockedFor(10);
        assertThat(watch.check(false)).as("an item waits to be taken").isNull();
        q.clear(); // taken, its end not yet told
        assertThat(watch.check(false)).as("first look at an empty queue").isNull();
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
        assertThat(watch.check(false)).as("still waiting at the next look: stuck").isEqualTo(FindingKinds.STUCK_WAIT);
    }

    @Test
    void anUnboundedQueueRisingPastTheMarkOnFourSamplesIsGrowth() {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ArrayBlockingQueue<Object> bounded = new ArrayBlockingQueue<>(50_000);
        ledger.created(q, "A|com.example.app.Events|<clinit>|9");
        ledger.created(bounded, "A|com.example.app.Events|<clinit>|10");
        QueueWatch watch = watch(0);
        int[] sizes = {12_000, 12_000, 12_500, 13_000, 14_000}; // the first four are not all rising
        for (int i = 0; i < sizes.length; i++) {
            while (q.size() < sizes[i]) {
                q.add(1);
                bounded.add(1);
            }
            clock.addAndGet(QueueWatch.SAMPLE_MILLIS);
            watch.check(false);
            assertThat(watch.findings(Phase.RUNNING)).as("after sample %d", i).hasSize(i < 4 ? 0 : 1);
        }
        Finding f = watch.findings(Phase.RUNNING).get(0);
        assertThat(f.kind()).isEqualTo(FindingKinds.QUEUE_GROWTH);
        assertThat(f.primaryLocation()).isEqualTo("Events.java:9");
        assertThat(f.details()).containsEntry("trend", List.of(12_000, 12_500, 13_000, 14_000))
                .containsEntry("highWaterMark", 14_000);
        assertThat(watch.summaries()).hasSize(2).anySatisfy(s -> {
            assertThat(s.capacity()).isEqualTo(50_000);
            assertThat(s.highWaterMark()).isEqualTo(14_000);
        });
    }

    @Test
    void aFlatQueueIsNotGrowth() {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ledger.created(q, "A|com.example.app.Events|<clinit>|9");
        for (int i = 0; i < 20_000; i++) {
            q.add(1);
        }
        QueueWatch watch = watch(0);
        for (int i = 0; i < 6; i++) {
            clock.addAndGet(QueueWatch.SAMPLE_MILLIS);
            watch.check(false);
        }
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
    }

    @Test
    void putsAfterEveryConsumerEndedWithItemsLeftAreAnOrphanAtExit() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ledger.created(q, "A|com.example.app.Jobs|<init>|12");
        ended("consumer", q, QueueListener.TAKE, TAKE_SITE);
        q.add("lost");
        ledger.operated(q, PUT_SITE, QueueListener.PUT, true);
        QueueWatch watch = watch(0);
        assertThat(watch.findings(Phase.RUNNING)).as("judged at exit only").isEmpty();
        assertThat(watch.findings(Phase.EXITING)).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(FindingKinds.QUEUE_ORPHAN);
            assertThat(f.primaryLocation()).isEqualTo("Jobs.java:42");
            assertThat(f.details()).containsEntry("reason", "consumers-ended").containsEntry("size", 1);
        });
    }

    @Test
    void aQueueWhoseConsumerEndedAfterTheLastPutIsNotAnOrphan() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ledger.operated(q, PUT_SITE, QueueListener.PUT, true);
        q.add("left for nobody, but put before the consumer stopped");
        ended("consumer", q, QueueListener.TAKE, TAKE_SITE);
        assertThat(watch(0).findings(Phase.EXITING)).isEmpty();
    }

    @Test
    void theLedgerKeepsNoQueueAlive() {
        java.lang.ref.WeakReference<Object> probe = registerAndDrop();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (probe.get() != null && System.nanoTime() < deadline) {
            System.gc();
        }
        assertThat(probe.get()).as("the queue was collected although this thread used it last").isNull();
        assertThat(watch(0).summaries()).isEmpty();
    }

    private java.lang.ref.WeakReference<Object> registerAndDrop() {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        ledger.created(q, "A|com.example.app.Jobs|<init>|12");
        ledger.operated(q, PUT_SITE, QueueListener.PUT, true);
        Object token = ledger.waitStarting(q, TAKE_SITE, QueueListener.TAKE);
        ledger.waitEnded(token, true);
        return new java.lang.ref.WeakReference<>(q);
    }

    @Test
    void queuesBeyondTheCapAreCountedNotTracked() {
        List<Object> kept = new java.util.ArrayList<>();
        for (int i = 0; i < QueueLedger.MAX_QUEUES + 5; i++) {
            LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
            kept.add(q);
            ledger.created(q, "A|com.example.app.Jobs|<init>|12");
        }
        assertThat(ledger.truncated()).containsEntry("queuesNotTracked", 5L);
        assertThat(watch(0).summaries()).hasSize(QueueLedger.MAX_QUEUES);
        assertThat(kept).hasSize(QueueLedger.MAX_QUEUES + 5);
    }

    @Test
    void aConsumerOfAQueueFedByManyShortLivedThreadsIsNotAnOrphanBetweenThem() throws Exception {
        LinkedBlockingQueue<Object> q = new LinkedBlockingQueue<>();
        for (int i = 0; i <= QueueWatch.MAX_STAGE_PRODUCERS; i++) {
            ended("request-" + i, q, QueueListener.PUT, PUT_SITE);
        }
        waiter("log-writer", q, QueueListener.TAKE, TAKE_SITE);
        QueueWatch watch = watch(1);
        blockedFor(QueueWatch.ORPHAN_CONFIRM_MILLIS + 10);
        assertThat(watch.check(false)).isNull();
        assertThat(watch.check(false)).isNull();
        assertThat(watch.findings(Phase.RUNNING)).isEmpty();
    }
}
