package dev.vigil.agent.stack;

import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Site;
import java.util.ArrayList;
import java.util.List;

/** Turns raw stacks into report frames and sites, marking the application's frames. */
public final class StackFrames {

    /** Deep enough for framework stacks, small enough to keep reports readable. */
    public static final int MAX_FRAMES = 96;

    private final PackageFilter packages;

    public StackFrames(PackageFilter packages) {
        this.packages = packages;
    }

    public PackageFilter packages() {
        return packages;
    }

    /**
     * The caller's stack below the first frame of {@code hookedClass.hookedMethod}, i.e. starting at
     * the code that called the instrumented method. Frames of the agent above it are dropped.
     */
    public List<Frame> callerStack(StackTraceElement[] raw, String hookedClass, String hookedMethod) {
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].getClassName().equals(hookedClass) && raw[i].getMethodName().equals(hookedMethod)) {
                start = i + 1;
                while (start < raw.length && raw[start].getClassName().equals(hookedClass)
                        && raw[start].getMethodName().equals(hookedMethod)) {
                    start++;
                }
                break;
            }
        }
        return frames(raw, start);
    }

    public List<Frame> frames(StackTraceElement[] raw, int from) {
        int end = Math.min(raw.length, from + MAX_FRAMES);
        List<Frame> out = new ArrayList<>(Math.max(0, end - from));
        for (int i = from; i < end; i++) {
            StackTraceElement e = raw[i];
            out.add(new Frame(e.getClassName(), e.getMethodName(), e.getFileName(), e.getLineNumber(),
                    packages.isApplication(e.getClassName())));
        }
        return out;
    }

    /** The first application frame, or null when the stack has none. */
    public static Frame firstApplicationFrame(List<Frame> frames) {
        for (Frame f : frames) {
            if (f.app()) {
                return f;
            }
        }
        return null;
    }

    /** A site whose location is the first application frame (or the top frame when there is none). */
    public static Site site(String role, List<Frame> frames) {
        Frame at = firstApplicationFrame(frames);
        if (at == null && !frames.isEmpty()) {
            at = frames.get(0);
        }
        return new Site(role, at == null ? null : at.location(), frames);
    }

    /**
     * A key that identifies a code site across runs: the application frames (class, method, line),
     * innermost first, at most {@code depth} of them. JDK frames are left out so that a JDK update
     * does not change fingerprints.
     */
    public static String siteKey(List<Frame> frames, int depth) {
        StringBuilder sb = new StringBuilder();
        int n = 0;
        for (Frame f : frames) {
            if (!f.app()) {
                continue;
            }
            sb.append(f.className()).append('.').append(f.method()).append(':').append(f.line()).append('\n');
            if (++n == depth) {
                break;
            }
        }
        if (n == 0 && !frames.isEmpty()) {
            Frame f = frames.get(0);
            sb.append(f.className()).append('.').append(f.method()).append(':').append(f.line());
        }
        return sb.toString();
    }
}
