package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * Low-level: a new lock-order edge, the first time a thread takes one lock while holding another
 * (per pair of lock instances). Off by default (see vigil.jfc); committed only on the graph's slow
 * path, so a known edge costs nothing even when it is on.
 */
@Name(JfrNames.LOCK_ORDER_EDGE)
@Label("Lock Order Edge (Vigil)")
@Description("A thread took a lock while holding another, for the first time for these two locks; "
        + "the stack trace is where the second lock was taken")
@Category({"Vigil", "Locks"})
@Enabled(false)
@StackTrace(true)
final class LockOrderEdgeEvent extends jdk.jfr.Event {

    @Label("From Lock")
    @Description("The lock held")
    String fromLock;

    @Label("To Lock")
    @Description("The lock taken while holding it")
    String toLock;

    @Label("Held At")
    @Description("Where the held lock was taken: class.method:line")
    String heldAt;

    @Label("Taken At")
    @Description("Where the second lock was taken: class.method:line")
    String takenAt;

    @Label("Read Only")
    @Description("Both locks were taken as read locks")
    boolean readOnly;

    @Label("Thread")
    Thread thread;

    @Label("Thread Id")
    long threadId;

    @Label("Thread Name")
    String threadName;
}
