package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.STUCK_WAIT)
@Label("Stuck Wait")
@Description("A thread blocked longer than the threshold on a semaphore, latch, barrier, condition, queue or future")
final class StuckWaitEvent extends FindingEvent {
}
