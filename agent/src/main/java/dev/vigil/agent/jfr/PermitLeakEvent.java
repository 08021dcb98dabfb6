package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.PERMIT_LEAK)
@Label("Permit Leak")
@Description("Semaphore permits acquired and never released, or released more than acquired")
final class PermitLeakEvent extends FindingEvent {
}
