package dev.vigil.agent.findings;

import dev.vigil.agent.host.ThreadFacts;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.ThreadRef;
import java.util.List;

/** Describes a thread as it is now: state and current stack. */
public final class ThreadRefs {

    /** Enough of a live stack to see what a thread is doing. */
    public static final int NOW_FRAMES = 32;

    private final StackFrames stacks;

    public ThreadRefs(StackFrames stacks) {
        this.stacks = stacks;
    }

    public ThreadRef of(Thread t, long id, String name, boolean daemon) {
        if (t == null || !t.isAlive()) {
            return new ThreadRef(id, name, daemon, false, Thread.State.TERMINATED.name(), List.of());
        }
        StackTraceElement[] raw = stackOf(t);
        List<Frame> frames = stacks.frames(raw, 0);
        if (frames.size() > NOW_FRAMES) {
            frames = frames.subList(0, NOW_FRAMES);
        }
        return new ThreadRef(id, ThreadFacts.name(t), t.isDaemon(), true, ThreadFacts.state(t).name(), frames);
    }

    /**
     * The thread's stack. A thread started a moment ago may not have run its first frame yet (its
     * stack is empty while it is already alive and runnable: seen at exit, right after main
     * started it); it gets a few milliseconds to get there.
     */
    private static StackTraceElement[] stackOf(Thread t) {
        StackTraceElement[] raw = ThreadFacts.stack(t);
        for (int i = 0; i < 5 && raw.length == 0 && ThreadFacts.state(t) == Thread.State.RUNNABLE; i++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            raw = ThreadFacts.stack(t);
        }
        return raw;
    }

    /** "TIMED_WAITING at Worker.java:31", from a thread reference. */
    public static String doingNow(ThreadRef t) {
        if (!t.alive()) {
            return "ended";
        }
        Frame at = StackFrames.firstApplicationFrame(t.stack());
        if (at == null && !t.stack().isEmpty()) {
            at = t.stack().get(0);
        }
        return t.state() + (at == null ? "" : " at " + at.location());
    }
}
