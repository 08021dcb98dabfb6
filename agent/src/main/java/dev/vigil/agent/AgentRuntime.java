package dev.vigil.agent;

import dev.vigil.agent.options.AgentOptions;

import dev.vigil.agent.executors.ExecutorLeakDetector;
import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.executors.ExecutorLedger;
import dev.vigil.agent.executors.ExecutorWatch;
import dev.vigil.agent.executors.FutureWaitDetector;
import dev.vigil.agent.executors.LongTaskDetector;
import dev.vigil.agent.executors.TimerPileUpDetector;
import dev.vigil.agent.executors.UnobservedFailureDetector;
import dev.vigil.agent.control.VigilControl;
import dev.vigil.agent.instrument.Instrumenter;
import dev.vigil.agent.jfr.AgentRecording;
import dev.vigil.agent.jfr.JfrEvents;
import dev.vigil.agent.jfr.JfrSink;
import dev.vigil.agent.locks.DeadlockWatch;
import dev.vigil.agent.locks.LockIdentity;
import dev.vigil.agent.locks.LockLabels;
import dev.vigil.agent.locks.LockOrderDetector;
import dev.vigil.agent.locks.LockOrderGraph;
import dev.vigil.agent.locks.LockTracker;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.queues.QueueLedger;
import dev.vigil.agent.queues.QueueWatch;
import dev.vigil.agent.locks.DeadThreadLocks;
import dev.vigil.agent.permits.PermitLeakDetector;
import dev.vigil.agent.permits.StuckWaitWatch;
import dev.vigil.agent.permits.SyncTracker;
import dev.vigil.agent.permits.ThreadStarts;
import dev.vigil.agent.findings.AgentHealth;
import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.report.ReportBuilder;
import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.findings.ThreadRefs;
import dev.vigil.agent.runtime.AgentThreads;
import dev.vigil.agent.runtime.ExitGate;
import dev.vigil.agent.util.MemoryGovernor;
import dev.vigil.agent.runtime.MemoryPressure;
import dev.vigil.agent.runtime.Scheduler;
import dev.vigil.agent.runtime.ShutdownHooks;
import dev.vigil.agent.runtime.Watchdog;
import dev.vigil.agent.stack.PoolWorkers;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadEntry;
import dev.vigil.agent.threads.ThreadLeakDetector;
import dev.vigil.agent.threads.ThreadLedger;
import dev.vigil.bootstrap.ExecutorHooks;
import dev.vigil.bootstrap.QueueCalls;
import dev.vigil.bootstrap.SyncHooks;
import dev.vigil.bootstrap.SyncListener;
import dev.vigil.bootstrap.LockListener;
import dev.vigil.bootstrap.VigilHooks;
import dev.vigil.report.model.Report;
import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Wires trackers, detectors and sinks, installs the instrumentation and proves it works.
 * Runs only after the hook jar is on the bootstrap class path.
 */
final class AgentRuntime {

    private AgentRuntime() {
    }

    static void start(AgentOptions options, Instrumentation inst, Thread mainThread) {
        long startMillis = System.currentTimeMillis();
        if (VigilHooks.class.getClassLoader() != null) {
            throw new IllegalStateException("hook classes were loaded by " + VigilHooks.class.getClassLoader()
                    + ", not the bootstrap loader: JDK classes cannot call them");
        }
        String version = AgentRuntime.class.getPackage().getImplementationVersion();
        AgentHealth health = new AgentHealth();
        String closed = inst == null ? "no Instrumentation" : ThreadFacts.open(inst);
        if (closed != null) {
            health.error("opening java.lang, java.util.concurrent and its locks to the hooks (executor figures are left out, "
                    + "threads of classes that override getId are not told apart)", new IllegalStateException(closed));
        }
        StackFrames stacks = new StackFrames(options.packages());
        ThreadLedger ledger = new ThreadLedger(stacks, options.threadGrowth(), System::currentTimeMillis);
        ledger.recordPreExisting(Thread.getAllStackTraces().keySet());
        ExecutorLedger executors = new ExecutorLedger(stacks, System::currentTimeMillis);
        LockLabels lockLabels = new LockLabels(options.packages());
        LockOrderGraph graph = new LockOrderGraph(lockLabels, AgentRuntime::stackNow);
        long maxHeap = Runtime.getRuntime().maxMemory();
        MemoryGovernor governor = new MemoryGovernor(options.memoryBytes() > 0 ? options.memoryBytes()
                : MemoryGovernor.defaultBudget(maxHeap), VigilHooks::outOfMemoryErrors);
        graph.governedBy(governor);
        ledger.governedBy(governor);
        AgentThreads.onOutOfMemory(() -> {
            governor.agentOutOfMemory();
            governor.pressure();
        });
        LockTracker lockTracker = new LockTracker(graph, lockIdentity(inst, health));
        lockTracker.recordCreationsIn(lockLabels);
        ledger.onFirstApplicationThread(lockTracker::programStartedThreads);
        DeadlockWatch deadlocks = new DeadlockWatch(options.deadlockCheckMillis(), stacks, lockTracker);
        FutureWaitDetector futureWaits = new FutureWaitDetector(executors, stacks, options.stuckWaitMillis(),
                System::currentTimeMillis);
        LongTaskDetector longTasks = new LongTaskDetector(executors, stacks, options.longTaskMillis(),
                System::currentTimeMillis);
        QueueLedger queues = new QueueLedger(System::currentTimeMillis);
        QueueWatch queueWatch = new QueueWatch(queues, stacks, new ThreadRefs(stacks), options.stuckWaitMillis(),
                System::currentTimeMillis, health);
        ledger.onThreadEnd(queues::threadEnded);
        lockTracker.reportDeadlocksTo(deadlocks);
        SyncTracker sync = new SyncTracker(System::currentTimeMillis);
        StuckWaitWatch stuckWaits = new StuckWaitWatch(sync, options.stuckWaitMillis(), stacks);
        stuckWaits.locksHeld(lockTracker::exclusiveHeldSeenByAnother);
        PermitLeakDetector permitLeaks = new PermitLeakDetector(sync, stacks);
        DeadThreadLocks deadThreadLocks = new DeadThreadLocks(lockTracker, stacks);
        ThreadLeakDetector threadLeaks = new ThreadLeakDetector(ledger, new ThreadRefs(stacks));
        threadLeaks.waitsOn(t -> {
            String on = stuckWaits.waitingOn(t);
            return on != null ? on : queues.waitingOn(t);
        });
        List<Detector> detectors = List.of(threadLeaks, deadlocks,
                new LockOrderDetector(graph, new SiteFrames(stacks), lockTracker::resetScope),
                new ExecutorLeakDetector(executors), new UnobservedFailureDetector(executors), futureWaits, longTasks,
                new TimerPileUpDetector(executors), queueWatch, stuckWaits, permitLeaks, deadThreadLocks);
        ReportBuilder builder = new ReportBuilder(options.effective(), startMillis, ledger, detectors, health,
                version == null ? "dev" : version);
        // agentmain has no main thread to watch: a null mainThread means Vigil was attached.
        String mode = mainThread == null ? "attach" : "startup";
        builder.filter(options.findingFilter());
        builder.mode(mode);
        ReportPublisher publisher = new ReportPublisher(builder, health, System.err, ReportPublisher.standardSinks(
                options.reportDir(), System.err, options.summary(), new JfrSink(ledger::find, options.reportDir())));
        builder.addTruncationCounters(graph::truncated);
        builder.memoryCounters(governor::counters);
        builder.addTruncationCounters(lockLabels::truncated);
        builder.addTruncationCounters(executors::truncated);
        builder.executorSummaries(executors::summaries);
        builder.taskLifetimes(executors::taskLifetimes);
        builder.addTruncationCounters(futureWaits::truncated);
        builder.addTruncationCounters(queueWatch::truncated);
        builder.queueSummaries(queueWatch::summaries);
        builder.addTruncationCounters(sync::truncated);
        builder.semaphoreSummaries(sync::summaries);
        builder.addTruncationCounters(stuckWaits::truncated);
        builder.addTruncationCounters(deadThreadLocks::truncated);
        if (inst != null) {
            PoolWorkers poolWorkers = new PoolWorkers(inst::getAllLoadedClasses);
            stuckWaits.poolWorkers(poolWorkers);
            queueWatch.poolWorkers(poolWorkers);
        }
        stuckWaits.threadStarts((parentId, since, max) -> ledger.startedBy(parentId, since, max).stream()
                .map(e -> new ThreadStarts.Started(e.id(), e.name(), e.alive(), e.thread())).toList());
        ledger.onThreadEnd(deadThreadLocks::threadEnding);
        AgentThreads threads = new AgentThreads(ledger);
        Watchdog watchdog = new Watchdog(mainThread, options.exitGraceMillis(), options.intervalMillis(), ledger,
                publisher, health);
        queueWatch.shutdownStartedAt(watchdog::shutdownStartedMillis);
        futureWaits.shutdownHooks(t -> {
            ThreadEntry e = ledger.entry(t);
            return e != null && ShutdownHooks.isHook(e);
        });
        publisher.phaseFrom(watchdog::currentPhase);

        Runnable jfrStarted = () -> jdk.jfr.FlightRecorder.addPeriodicEvent(JfrEvents.REPORT_EVENT,
                () -> chunkEnd(publisher, watchdog, health));
        if (options.jfrFile() != null) {
            try {
                // Before any instrumentation: see JfrEvents.
                if (JfrEvents.registerAll()) {
                    jfrStarted.run();
                }
                publisher.recording(AgentRecording.start(options.jfrFile()));
            } catch (Exception e) {
                health.error("starting the JFR recording " + options.jfrFile(), e);
                System.err.println("vigil: could not start the JFR recording " + options.jfrFile() + ": " + e);
            }
        }
        try {
            // In premain, so that -XX:StartFlightRecording (which starts JFR right after premain)
            // registers the events before main runs.
            JfrEvents.registerWhenJfrStarts(jfrStarted, t -> health.error("registering the JFR events", t));
        } catch (RuntimeException | LinkageError e) {
            health.error("listening for JFR", e);
        }
        preload(ledger, stacks);
        VigilHooks.setThreadListener(ledger);
        ExecutorHooks.setListener(executors);
        VigilHooks.setLockListener(lockTracker);
        preloadLocks();
        QueueCalls.setListener(queues);
        preloadQueues(queues);
        SyncHooks.setListener(sync);
        preloadSync(sync);
        Instrumenter.install(inst, health, options.packages(), options.jdkLocks());
        health.selfTest(SelfTest.run(ledger, executors, graph, sync, queues, options.jdkLocks().contains("Hashtable")));
        if (!health.selfTestPassed()) {
            System.err.println("vigil: SELF-TEST FAILED: " + dev.vigil.report.text.Terminal.safe(health.selfTest())
                    + "; findings will be incomplete (see the report's agent section)");
        }

        ExitGate gate = new ExitGate(options.failOn(), ledger, System.err, Runtime.getRuntime()::halt);
        Runtime.getRuntime().addShutdownHook(threads.newThread("vigil-exit-report",
                () -> gate.check(watchdog.exitReport())));
        // One agent thread runs every periodic check (and writes every urgent report).
        Scheduler scheduler = new Scheduler(health, publisher::publishUrgent);
        scheduler.every("watching the threads left after main returned", Watchdog.TICK_MILLIS, watchdog::tick);
        queueWatch.wakeWith(scheduler.every("queue watch", QueueWatch.CHECK_MILLIS, queueWatch::tick));
        long waitTick = stuckWaits.tickMillis();
        scheduler.every("stuck-wait watch", waitTick, stuckWaits::tick);
        scheduler.every("permit-leak watch", waitTick, permitLeaks::tick);
        scheduler.every("watching locks held by ended threads", waitTick, deadThreadLocks::tick);
        scheduler.every("keeping Vigil within its memory budget", waitTick, () -> {
            governor.check();
            return null;
        });
        deadlocks.wakeWith(scheduler.every("deadlock watch", deadlocks.periodMillis(), deadlocks::tick));
        ExecutorWatch executorWatch = new ExecutorWatch(futureWaits, longTasks);
        if (executorWatch.enabled()) {
            scheduler.every("executor watch", executorWatch.periodMillis(), executorWatch::tick);
        }

        VigilControl control = new VigilControl(publisher, watchdog, ledger, detectors, mode, startMillis);
        Runnable register = () -> {
            if (maxHeap >= WARM_UP_MIN_HEAP) {
                warmUpReports(publisher, health);
            }
            try {
                if (!control.register()) {
                    health.error("registering the MBean " + VigilControl.OBJECT_NAME, new IllegalStateException("not registered"));
                }
            } finally {
                try {
                    watchdog.managementReady(); // one thread initialises java.lang.management, after the MBean server
                } catch (RuntimeException | LinkageError e) {
                    health.error("reading thread states (ThreadMXBean)", e);
                }
                try {
                    MemoryPressure.install(governor, health);
                } catch (RuntimeException | LinkageError e) {
                    health.error("watching the heap for memory pressure", e);
                }
            }
        };
        if (mainThread == null) {
            register.run(); // attached: the JVM is up, and `dump` may follow at once
        } else {
            // Not in premain: the platform MBean server would initialise JMX before main. Its own
            // thread, which ends once done: the first report's rendering takes hundreds of ms,
            // which would hold every check back (a wait first seen that much later).
            AgentThreads.start(threads.newThread(STARTUP_THREAD, register));
        }
        AgentThreads.start(threads.newLoop(Scheduler.THREAD_NAME, scheduler));
    }

    /** Vigil's second thread, while the program starts: renders a first report, registers the MBean, then ends. */
    static final String STARTUP_THREAD = "vigil-startup";

    /**
     * Below this maximum heap the first report is not rendered ahead: it allocates tens of MB while
     * the program starts, and a tight heap is the host's. The exit report pays for the first render instead.
     */
    static final long WARM_UP_MIN_HEAP = 512L << 20;

    /**
     * Renders one report and throws it away, on an agent thread while the program starts: the
     * first report pays for loading the report's classes (the builder, the page, the JSON writer),
     * and that first report is otherwise the exit report, on the JVM's way out.
     */
    private static void warmUpReports(ReportPublisher publisher, AgentHealth health) {
        try {
            dev.vigil.report.html.HtmlReport.render(publisher.builder().build(dev.vigil.agent.findings.Phase.RUNNING,
                    "warm-up"));
        } catch (RuntimeException | LinkageError e) {
            health.error("rendering a first report", e);
        }
    }

    private static StackTraceElement[] stackNow() {
        return new Throwable().getStackTrace();
    }

    private static LockIdentity lockIdentity(Instrumentation inst, AgentHealth health) {
        try {
            return LockIdentity.open(inst);
        } catch (ReflectiveOperationException | RuntimeException e) {
            health.error("opening java.util.concurrent.locks (read and write locks are tracked as two locks, "
                    + "Condition.await is not followed)", e);
            return LockIdentity.plain();
        }
    }

    /**
     * Runs the lock hooks' whole path once (two nested locks: a new edge, a stack, a cycle search)
     * before any JDK class can call them, so that none of it is loaded inside a JDK lock.
     */
    private static void preloadLocks() {
        Object outer = new Object();
        Object inner = new Object();
        Object third = new Object();
        VigilHooks.lockAcquired(outer, "A|dev.vigil.agent.AgentRuntime|preloadLocks|0", 0);
        VigilHooks.lockAcquired(inner, "A|dev.vigil.agent.AgentRuntime|preloadLocks|1", 0);
        VigilHooks.monitorAcquired(third, "A|dev.vigil.agent.AgentRuntime|preloadLocks|3", LockListener.EARLY);
        VigilHooks.monitorReleasing(third);
        // A ReentrantLock's node is read through a method handle: linked here, not in a host's lock.
        java.util.concurrent.locks.ReentrantLock reentrant = new java.util.concurrent.locks.ReentrantLock();
        VigilHooks.lockAcquired(reentrant, "A|dev.vigil.agent.AgentRuntime|preloadLocks|4", 0);
        VigilHooks.lockReleasing(reentrant);
        VigilHooks.lockReleasing(inner);
        VigilHooks.waitStarting(outer);
        VigilHooks.waitEnded(outer, "A|dev.vigil.agent.AgentRuntime|preloadLocks|2");
        VigilHooks.lockReleasing(outer);
    }

    /** Runs the synchronizer hooks' paths once, before any application class can call them. */
    private static void preloadSync(SyncTracker sync) {
        java.util.concurrent.Semaphore s = new java.util.concurrent.Semaphore(1);
        java.util.concurrent.CountDownLatch latch = new java.util.concurrent.CountDownLatch(1);
        SyncHooks.acquired(s, 1, "A|dev.vigil.agent.AgentRuntime|preloadSync|0");
        SyncHooks.released(s, 1, "A|dev.vigil.agent.AgentRuntime|preloadSync|1");
        SyncHooks.countedDown(latch, "A|dev.vigil.agent.AgentRuntime|preloadSync|2");
        SyncHooks.synchronizerCreated(latch, "A|dev.vigil.agent.AgentRuntime|preloadSync|4");
        java.util.concurrent.Phaser phaser = new java.util.concurrent.Phaser(1);
        SyncHooks.phaserEvent(phaser, SyncListener.PHASER_ARRIVE, 0, 1, "A|dev.vigil.agent.AgentRuntime|preloadSync|5");
        sync.forget(phaser);
        SyncHooks.waitEnded(SyncHooks.waitStarting(s, SyncListener.SEMAPHORE, "A|dev.vigil.agent.AgentRuntime|preloadSync|3"));
        sync.summaries();
        sync.forget(s);
        sync.forget(latch);
    }

    /**
     * Runs the queue stand-ins' whole path once (a new queue, a producer, a consumer, a blocking
     * take) before application code can call them, on a queue that is then forgotten.
     */
    private static void preloadQueues(QueueLedger ledger) {
        try {
            java.util.concurrent.BlockingQueue<Object> q = new java.util.concurrent.LinkedBlockingQueue<>(1);
            QueueCalls.created(q, "A|dev.vigil.agent.AgentRuntime|preloadQueues|0");
            QueueCalls.offer((java.util.Queue<Object>) q, "x", "A|dev.vigil.agent.AgentRuntime|preloadQueues|1");
            QueueCalls.take(q, "A|dev.vigil.agent.AgentRuntime|preloadQueues|2");
            QueueCalls.poll((java.util.Queue<Object>) q, "A|dev.vigil.agent.AgentRuntime|preloadQueues|3");
            ledger.forget(q);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At the end of every JFR chunk (and so when a recording stops at exit, possibly before Vigil's
     * own shutdown hook has run): commit the current findings, so a recording always ends with them.
     */
    private static void chunkEnd(ReportPublisher publisher, Watchdog watchdog, AgentHealth health) {
        if (!VigilHooks.enter()) {
            return;
        }
        try {
            if (dev.vigil.agent.util.JvmShutdown.begun()) {
                watchdog.awaitExit(); // JFR's own hook ends the recording: judge after the application's hooks
            }
            Report report = publisher.builder().build(watchdog.currentPhase(), "chunk-end");
            publisher.emitJfr(report);
        } catch (Throwable t) {
            health.error("JFR chunk-end report", t);
        } finally {
            VigilHooks.leave();
        }
    }

    /**
     * Loads what the hooks will need before any JDK class calls them, so that class loading never
     * happens for the first time inside an instrumented JDK method (ClassCircularityError has been
     * seen in other agents that did not).
     */
    private static void preload(ThreadLedger ledger, StackFrames stacks) {
        StackFrames.siteKey(stacks.callerStack(new Throwable().getStackTrace(), "java.lang.Thread", "start"), 8);
        ledger.live();
        ledger.ended();
        try {
            // Instrumented; loaded while the loaded ThreadPoolExecutor is linked to be retransformed
            // (runWorker's signature names it). Loaded before, it is retransformed with the rest, on
            // the same pass (Instrumenter.retransformLoadedDuringInstall takes any other such class).
            Class.forName("java.util.concurrent.ThreadPoolExecutor$Worker", false, null);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("java.util.concurrent.ThreadPoolExecutor$Worker", e);
        }
    }
}
