package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.THREAD_LEAK)
@Label("Thread Leak")
@Description("Application threads still running at exit, keeping the JVM from exiting, or growing without bound at one start site")
final class ThreadLeakEvent extends FindingEvent {
}
