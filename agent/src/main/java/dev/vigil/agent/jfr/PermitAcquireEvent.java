package dev.vigil.agent.jfr;

import dev.vigil.report.jfr.JfrNames;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Low-level: permits of a semaphore acquired at an application call site. Off by default (see vigil.jfc). */
@Name(JfrNames.PERMIT_ACQUIRE)
@Label("Permit Acquire (Vigil)")
@Description("Permits of a semaphore were acquired at an application call site")
@Category({"Vigil", "Permits"})
@Enabled(false)
@StackTrace(false)
final class PermitAcquireEvent extends jdk.jfr.Event {

    @Label("Semaphore")
    @Description("Semaphore@identity-hash")
    String semaphore;

    @Label("Permits")
    int permits;

    @Label("Available")
    @Description("Permits free right after the call")
    int available;

    @Label("Location")
    @Description("File.java:line of the call")
    String location;
}
