package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.EXECUTOR_LEAK)
@Label("Executor Leak")
@Description("An executor never shut down, or many created at one site")
final class ExecutorLeakEvent extends FindingEvent {
}
