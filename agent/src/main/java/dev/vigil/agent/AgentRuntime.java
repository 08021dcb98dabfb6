package dev.vigil.agent;

import dev.vigil.agent.control.VigilControl;
import dev.vigil.agent.instrument.Instrumenter;
import dev.vigil.agent.jfr.AgentRecording;
import dev.vigil.agent.jfr.JfrEvents;
import dev.vigil.agent.jfr.JfrSink;
import dev.vigil.agent.report.AgentHealth;
import dev.vigil.agent.report.Detector;
import dev.vigil.agent.report.ReportBuilder;
import dev.vigil.agent.report.ReportPublisher;
import dev.vigil.agent.report.ThreadRefs;
import dev.vigil.agent.runtime.AgentThreads;
import dev.vigil.agent.runtime.ExitGate;
import dev.vigil.agent.runtime.Watchdog;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.agent.threads.ThreadLeakDetector;
import dev.vigil.agent.threads.ThreadLedger;
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
        StackFrames stacks = new StackFrames(options.packages());
        ThreadLedger ledger = new ThreadLedger(stacks, options.threadGrowth(), System::currentTimeMillis);
        ledger.recordPreExisting(Thread.getAllStackTraces().keySet());
        List<Detector> detectors = List.of(new ThreadLeakDetector(ledger, new ThreadRefs(stacks)));
        ReportBuilder builder = new ReportBuilder(options.effective(), startMillis, ledger, detectors, health,
                version == null ? "dev" : version);
        // agentmain has no main thread to watch: a null mainThread means Vigil was attached.
        String mode = mainThread == null ? "attach" : "startup";
        builder.filter(options.findingFilter());
        builder.mode(mode);
        ReportPublisher publisher = new ReportPublisher(builder, options.reportDir(), health, System.err,
                options.summary(), new JfrSink(ledger::find));
        AgentThreads threads = new AgentThreads(ledger);
        Watchdog watchdog = new Watchdog(mainThread, options.exitGraceMillis(), options.intervalMillis(), ledger,
                publisher);

        // Before any instrumentation: see JfrEvents.
        JfrEvents.registerAll();
        jdk.jfr.FlightRecorder.addPeriodicEvent(JfrEvents.REPORT_EVENT, () -> chunkEnd(publisher, watchdog, health));
        if (options.jfrFile() != null) {
            try {
                publisher.recording(AgentRecording.start(options.jfrFile()));
            } catch (Exception e) {
                health.error("starting the JFR recording " + options.jfrFile(), e);
                System.err.println("vigil: could not start the JFR recording " + options.jfrFile() + ": " + e);
            }
        }
        preload(ledger, stacks);
        VigilHooks.setThreadListener(ledger);
        Instrumenter.install(inst, health);
        health.selfTest(SelfTest.run(ledger));
        if (!"passed".equals(health.selfTest())) {
            System.err.println("vigil: SELF-TEST FAILED: " + health.selfTest()
                    + "; findings will be incomplete (see the report's agent section)");
        }

        ExitGate gate = new ExitGate(options.failOn(), ledger, System.err, Runtime.getRuntime()::halt);
        Runtime.getRuntime().addShutdownHook(threads.newThread("vigil-exit-report",
                () -> gate.check(watchdog.exitReport())));
        AgentThreads.start(threads.newThread("vigil-watchdog", watchdog));

        VigilControl control = new VigilControl(publisher, watchdog, ledger, detectors, mode, startMillis);
        Runnable register = () -> {
            if (!control.register()) {
                health.error("registering the MBean " + VigilControl.OBJECT_NAME, new IllegalStateException("not registered"));
            }
        };
        if (mainThread == null) {
            register.run(); // attached: the JVM is up, and `dump` may follow at once
        } else {
            // Not in premain: the platform MBean server would initialise JMX before main.
            AgentThreads.start(threads.newThread("vigil-mbean", register));
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
    }
}
