package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Low-level: a put, offer, add or transfer on a blocking queue at an application call site. Off by default (see vigil.jfc). */
@Name(JfrNames.QUEUE_PUT)
@Label("Queue Put (Vigil)")
@Description("A put, offer, add or transfer on a blocking queue at an application call site")
@Category({"Vigil", "Queues"})
@Enabled(false)
@StackTrace(false)
final class QueuePutEvent extends jdk.jfr.Event {

    @Label("Queue Id")
    @Description("Vigil's id of the queue, as in the report's queues table")
    long queueId;

    @Label("Queue Type")
    String queueType;

    @Label("Site")
    @Description("The application call site: class, method, line")
    String site;

    @Label("Moved")
    @Description("False for an offer that found the queue full, or a poll that found it empty")
    boolean moved;
}
