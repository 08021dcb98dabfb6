package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

@Name(JfrNames.TIMER_PILE_UP)
@Label("Timer Pile-up")
@Description("Scheduled tasks accumulating faster than they fire or are cancelled")
final class TimerPileUpEvent extends FindingEvent {
}
