package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.QUEUE_GROWTH)
@Label("Queue Growth")
@Description("An unbounded queue growing without bound")
final class QueueGrowthEvent extends FindingEvent {
}
