package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.LOCK_ORDER_CYCLE)
@Label("Lock Order Cycle")
@Description("Locks taken in inconsistent orders: a deadlock waiting to happen. One event per edge of the cycle")
final class LockOrderCycleEvent extends EdgeFindingEvent {
}
