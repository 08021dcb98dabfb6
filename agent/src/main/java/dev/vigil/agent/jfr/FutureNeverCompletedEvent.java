package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.FUTURE_NEVER_COMPLETED)
@Label("Future Never Completed")
@Description("Threads wait on a future that nothing completes")
final class FutureNeverCompletedEvent extends FindingEvent {
}
