package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.TASK_LEAK)
@Label("Task Leak")
@Description("Tasks still queued or running at exit, or running far longer than the threshold")
final class TaskLeakEvent extends FindingEvent {
}
