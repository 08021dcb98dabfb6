package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.DEADLOCK)
@Label("Deadlock")
@Description("Threads that wait for each other's locks forever. One event per edge of the wait cycle")
final class DeadlockEvent extends EdgeFindingEvent {
}
