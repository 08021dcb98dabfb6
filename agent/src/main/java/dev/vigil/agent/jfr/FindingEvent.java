package dev.vigil.agent.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;

/**
 * Fields every finding event carries. JFR fields can only be primitives, strings, threads and
 * classes, so sites go in as text and the whole finding as JSON ({@code findingJson}), from which
 * {@code vigil-agent.jar report} rebuilds the report. The committing thread's stack is not the
 * finding's: it is off.
 */
@Category({"Vigil", "Findings"})
@StackTrace(false)
abstract class FindingEvent extends Event {

    @Label("Kind")
    @Description("The finding kind, as in vigil-report.json")
    String kind;

    @Label("Severity")
    @Description("error, warning or info")
    String severity;

    @Label("Fingerprint")
    @Description("Stable across runs for the same code sites: use it to suppress or baseline the finding")
    String fingerprint;

    @Label("Title")
    String title;

    @Label("Message")
    @Description("What happened")
    String message;

    @Label("How to Fix")
    String howToFix;

    @Label("Location")
    @Description("File:line of the first application frame of the first site: the line to fix")
    String location;

    @Label("Site Stack")
    @Description("The stack of the first site, innermost first, one frame per line")
    String siteStack;

    @Label("Thread")
    @Description("The first thread involved, while it is alive")
    Thread thread;

    @Label("Thread Id")
    @Description("Java id of the first thread involved (kept when the thread has ended)")
    long threadId;

    @Label("Thread Name")
    @Description("Name of the first thread involved (kept when the thread has ended)")
    String threadName;

    @Label("Thread Count")
    @Description("How many threads the finding involves")
    int threadCount;

    @Label("Finding (JSON)")
    @Description("The whole finding exactly as in vigil-report.json")
    String findingJson;
}
