package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Low-level: a platform thread started, with its start site. Off by default (see vigil.jfc). */
@Name(JfrNames.THREAD_START)
@Label("Thread Start (Vigil)")
@Description("A platform thread was started; the stack trace is the start site")
@Category({"Vigil", "Threads"})
@Enabled(false)
@StackTrace(true)
final class ThreadStartEvent extends jdk.jfr.Event {

    @Label("Thread")
    Thread thread;

    @Label("Thread Id")
    long threadId;

    @Label("Thread Name")
    String threadName;

    @Label("Parent Thread")
    Thread parentThread;

    @Label("Origin")
    @Description("application, jdk or pre-existing")
    String origin;

    @Label("Daemon")
    boolean daemon;

    @Label("Location")
    @Description("File:line of the first application frame of the start site")
    String location;
}
