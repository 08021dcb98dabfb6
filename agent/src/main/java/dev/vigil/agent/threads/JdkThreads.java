package dev.vigil.agent.threads;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.report.model.Frame;
import java.util.List;

/**
 * Threads the JDK starts for itself, even when application frames are on the stack that made it
 * start them: shutdown hooks (started by {@code ApplicationShutdownHooks} when the JVM exits,
 * whoever called {@code System.exit}), {@code Cleaner} threads ({@code Cleaner-N},
 * {@code Common-Cleaner}), the virtual-thread {@code VirtualThread-unblocker} and unparker, JFR's
 * threads ({@code JFR Shutdown Hook}, {@code JFR Periodic Tasks}...) and
 * {@code java.util.logging}'s {@code Logging-Cleaner}. They are the JDK's: their origin is
 * {@link ThreadOrigin#JDK}, so they never become findings nor fail a {@code failOn} gate
 * (docs/lifecycle.md). The {@code Attach Listener} is started by the VM, never seen here.
 */
public final class JdkThreads {

    /** JDK classes that start threads of the JDK's own when they appear in a thread's start stack. */
    private static final String[] STARTERS = {
        "java.lang.ApplicationShutdownHooks", "java.lang.Shutdown", "java.lang.ref.Cleaner",
        "jdk.internal.ref.CleanerImpl", "jdk.internal.misc.InnocuousThread", "java.lang.VirtualThread",
        "jdk.jfr.", "jdk.internal.jfr.", "java.util.logging.LogManager",
    };

    /** Thread classes only the JDK instantiates for itself. */
    private static final String[] THREAD_CLASSES = {
        "jdk.internal.misc.InnocuousThread", "java.util.logging.LogManager$Cleaner", "jdk.jfr.",
        "jdk.internal.jfr.", "java.lang.ref.", "jdk.internal.ref.",
    };

    private JdkThreads() {
    }

    /**
     * True when {@code thread}, started from {@code frames} (its start stack, the caller of
     * {@code Thread.start} first), is one the JDK starts for itself. Only the frames below the first
     * application frame are looked at: an application class calling a JDK API is not enough.
     */
    public static boolean startedByJdk(Thread thread, List<Frame> frames) {
        if (startsWithAny(thread.getClass().getName(), THREAD_CLASSES)) {
            return true;
        }
        for (Frame f : frames) {
            if (f.app()) {
                return false;
            }
            if (startsWithAny(f.className(), STARTERS)) {
                return true;
            }
        }
        return false;
    }

    /** True when these start frames are those of a shutdown hook started as the JVM exits. */
    public static boolean isShutdownHook(List<Frame> frames) {
        for (Frame f : frames) {
            if ("java.lang.ApplicationShutdownHooks".equals(f.className())) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code thread} is the one running the JVM's exit ({@code System.exit} or
     * {@code Runtime.exit} called on it: it waits in {@code java.lang.Shutdown} for the hooks). It
     * is not left running by anyone; the JVM ends it.
     */
    public static boolean isExiting(Thread thread) {
        if (thread == null) {
            return false;
        }
        for (StackTraceElement e : ThreadFacts.stack(thread)) {
            if ("java.lang.Shutdown".equals(e.getClassName())) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
