package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Low-level: a tracked platform thread ended. Off by default (see vigil.jfc). */
@Name(JfrNames.THREAD_END)
@Label("Thread End (Vigil)")
@Description("A tracked platform thread ended")
@Category({"Vigil", "Threads"})
@Enabled(false)
@StackTrace(false)
final class ThreadEndEvent extends jdk.jfr.Event {

    @Label("Thread")
    Thread thread;

    @Label("Thread Id")
    long threadId;

    @Label("Thread Name")
    String threadName;
}
