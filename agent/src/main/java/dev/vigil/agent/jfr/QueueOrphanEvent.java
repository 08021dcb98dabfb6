package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.QUEUE_ORPHAN)
@Label("Queue Orphan")
@Description("A blocking queue whose consumers or producers have all ended while the other side goes on")
final class QueueOrphanEvent extends FindingEvent {
}
