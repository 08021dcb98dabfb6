package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.UNOBSERVED_FAILURE)
@Label("Unobserved Failure")
@Description("A task or future failed and nobody read the failure")
final class UnobservedFailureEvent extends FindingEvent {
}
