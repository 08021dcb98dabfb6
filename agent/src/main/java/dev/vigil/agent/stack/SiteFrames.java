package dev.vigil.agent.stack;

import dev.vigil.report.model.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a site constant and a stack into the frames of a report site. The stack is captured once,
 * when the second lock of an edge is taken; the first lock was taken earlier by a method that is
 * (nearly always) still on that stack, so its site is that stack cut at that method, with the line
 * where the lock was taken.
 */
public final class SiteFrames {

    private final StackFrames stacks;

    public SiteFrames(StackFrames stacks) {
        this.stacks = stacks;
    }

    /** The stack from the instrumented code down, without Vigil's own frames. */
    public List<Frame> fromCapture(StackTraceElement[] raw) {
        if (raw == null) {
            return List.of();
        }
        int start = 0;
        while (start < raw.length && raw[start].getClassName().startsWith("dev.vigil.")
                && !stacks.packages().isApplication(raw[start].getClassName())) {
            start++;
        }
        return stacks.frames(raw, start);
    }

    /**
     * The frames of {@code site}: {@code stack} from the frame of the site's method down, that
     * frame's line set to the site's line; or the site alone when its method has returned.
     */
    public List<Frame> at(String site, List<Frame> stack) {
        SiteRef ref = SiteRef.parse(site);
        if (ref == null) {
            return stack;
        }
        int line = switch (ref.kind()) {
            case 'A' -> ref.line();
            case 'M' -> SiteLines.firstLine(ref.className(), ref.method(), ref.detail());
            default -> 0;
        };
        for (int i = 0; i < stack.size(); i++) {
            Frame f = stack.get(i);
            if (f.className().equals(ref.className()) && f.method().equals(ref.method())) {
                List<Frame> out = new ArrayList<>(stack.subList(i, stack.size()));
                if (line > 0) {
                    out.set(0, new Frame(f.className(), f.method(), f.file(), line, f.app()));
                }
                return out;
            }
        }
        String outer = ref.className().contains("$")
                ? ref.className().substring(0, ref.className().indexOf('$')) : ref.className();
        String file = outer.substring(outer.lastIndexOf('.') + 1) + ".java";
        return List.of(new Frame(ref.className(), ref.method(), file, line,
                stacks.packages().isApplication(ref.className())));
    }
}
