package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Low-level: a task was submitted to an application executor. Off by default (see vigil.jfc). */
@Name(JfrNames.TASK_SUBMIT)
@Label("Task Submit (Vigil)")
@Description("A task was submitted to an application executor; the event thread is the submitter")
@Category({"Vigil", "Tasks"})
@Enabled(false)
@StackTrace(false)
final class TaskSubmitEvent extends jdk.jfr.Event {

    @Label("Task Id")
    @Description("Vigil's id of the task, shared with its vigil.TaskEnd event and the report's task timeline")
    long taskId;

    @Label("Executor Id")
    @Description("The executor's id in the report's executor table")
    long executorId;

    @Label("Executor Type")
    String executorType;

    @Label("Location")
    @Description("File:line of the submitting application line")
    String location;
}
