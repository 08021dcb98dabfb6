package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteFrames;

import dev.vigil.agent.findings.Detector;
import dev.vigil.agent.findings.Phase;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.ThreadRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns the cycles of the {@link LockOrderGraph} into {@code lock-order-cycle} findings. */
public final class LockOrderDetector implements Detector {

    static final String HOW_TO_FIX = "Two fixes work. (1) One global order: decide an order for these locks "
            + "(e.g. by account id, or 'registry before entry') and take them in that order on every path; "
            + "if a path needs them the other way round, take the first one earlier or release and re-take. "
            + "(2) Don't call out while holding a lock: a lock held across a call into other objects "
            + "(listeners, callbacks, another synchronized class) lets that code take its locks in any order; "
            + "copy what you need under the lock, release it, then call. tryLock with a timeout and back-off "
            + "also breaks the cycle where neither fix fits.";

    private final LockOrderGraph graph;
    private final SiteFrames frames;
    private final Runnable resetScope;

    public LockOrderDetector(LockOrderGraph graph, SiteFrames frames) {
        this(graph, frames, graph::resetScope);
    }

    /** @param resetScope what a scope reset does (the tracker's: the graph and the threads' caches) */
    public LockOrderDetector(LockOrderGraph graph, SiteFrames frames, Runnable resetScope) {
        this.graph = graph;
        this.frames = frames;
        this.resetScope = resetScope;
    }

    @Override
    public void resetScope() {
        resetScope.run();
    }

    @Override
    public List<Finding> findings(Phase phase) {
        List<Finding> out = new ArrayList<>();
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (LockCycle c : graph.cycles()) {
            Finding f = finding(c);
            if (seen.putIfAbsent(f.fingerprint(), Boolean.TRUE) == null) {
                out.add(f);
            }
        }
        return out;
    }

    Finding finding(LockCycle cycle) {
        List<LockFindingShape.Edge> edges = new ArrayList<>();
        for (LockCycle.Step s : cycle.steps()) {
            List<Frame> taken = frames.fromCapture(s.stack());
            List<Frame> held = frames.at(s.heldSite(), taken);
            edges.add(new LockFindingShape.Edge(s.fromKey(), s.fromLabel(), s.toKey(), s.toLabel(), s.threadName(),
                    s.threadId(), held, frames.at(s.takenSite(), taken)));
        }
        LockFindingShape shape = new LockFindingShape(FindingKinds.LOCK_ORDER_CYCLE, edges);
        boolean predicted = cycle.mode().equals(LockCycle.PREDICTED);
        String title = (predicted ? "Predicted lock-order cycle" : "Lock-order cycle") + " between "
                + shape.lockList() + " (" + shape.takenLocations() + ")";

        StringBuilder msg = new StringBuilder();
        List<LockFindingShape.Edge> rotated = shape.edges();
        for (int i = 0; i < rotated.size(); i++) {
            LockFindingShape.Edge e = rotated.get(i);
            msg.append(i == 0 ? "" : " ").append("Thread '").append(e.threadName()).append("' took ")
                    .append(shape.id(e.toKey())).append(" (").append(shape.label(e.toKey())).append(") at ")
                    .append(shape.sites().get(2 * i + 1).location()).append(" while holding ")
                    .append(shape.id(e.fromKey())).append(" (").append(shape.label(e.fromKey())).append(", taken at ")
                    .append(shape.sites().get(2 * i).location()).append(").");
        }
        msg.append(" These paths take the same locks in opposite orders: if they run at the same time, ")
                .append(shape.scenarioText()).append(", and every thread waits for the next for ever.");
        if (predicted) {
            msg.append(" Predicted: these were different instances of the same lock classes, so this run could not "
                    + "deadlock here, but the same code with the same instances can.");
        } else if (cycle.setupEdge() && cycle.severity() == Severity.WARNING) {
            msg.append(" One of these edges was taken only while the program ran no thread of its own yet (set-up),"
                    + " so it could not overlap with the others in this run; the same code run once threads exist"
                    + " can deadlock.");
        } else if (cycle.severity() == Severity.INFO) {
            msg.append(" Only one thread took these locks in this run, so it could not deadlock here; it will as "
                    + "soon as two threads run these paths.");
        } else {
            msg.append(" This run did not deadlock only because the paths did not overlap in time.");
        }

        List<ThreadRef> threads = new ArrayList<>();
        for (LockFindingShape.Edge e : rotated) {
            if (threads.stream().noneMatch(t -> t.id() == e.threadId())) {
                threads.add(new ThreadRef(e.threadId(), e.threadName(), false, false, null, List.of()));
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", cycle.mode());
        if (cycle.setupEdge()) {
            details.put("setupEdge", true);
        }
        details.putAll(shape.details());
        return new Finding(FindingKinds.LOCK_ORDER_CYCLE, cycle.severity(), shape.fingerprint(), title,
                msg.toString(), HOW_TO_FIX, threads, shape.sites(), details);
    }
}
