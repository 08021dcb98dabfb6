package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.LOCK_HELD_BY_DEAD_THREAD)
@Label("Lock Held by Dead Thread")
@Description("A lock still held by a thread that has ended")
final class LockHeldByDeadThreadEvent extends FindingEvent {
}
