package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/** Low-level: a task of an application executor finished. Off by default (see vigil.jfc). */
@Name(JfrNames.TASK_END)
@Label("Task End (Vigil)")
@Description("A task of an application executor finished; the event thread is the worker that ran it")
@Category({"Vigil", "Tasks"})
@Enabled(false)
@StackTrace(false)
final class TaskEndEvent extends jdk.jfr.Event {

    @Label("Task Id")
    long taskId;

    @Label("Executor Id")
    long executorId;

    @Label("Outcome")
    @Description("completed, failed or cancelled")
    String outcome;

    @Label("Since Submit")
    @Timespan(Timespan.MILLISECONDS)
    long millisSinceSubmit;
}
