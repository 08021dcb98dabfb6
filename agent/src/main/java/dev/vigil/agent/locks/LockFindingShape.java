package dev.vigil.agent.locks;

import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape shared by {@code lock-order-cycle} and {@code deadlock} findings (docs/locks.md):
 * for edge i two sites, {@code "edge i+1: L1 taken"} and {@code "edge i+1: L2 taken while holding
 * L1"}; {@code details.locks}, {@code details.edges} and the lockdep-style two-column
 * {@code details.scenario}. Edges are rotated so that the same cycle always starts at the same
 * edge, whichever edge closed it: the fingerprint is stable across runs and JDKs.
 */
public final class LockFindingShape {

    /** One edge: {@code to} taken (or wanted) while {@code from} was held. */
    public record Edge(String fromKey, String fromLabel, String toKey, String toLabel, String threadName,
                       long threadId, List<Frame> held, List<Frame> taken) {
    }

    private final List<Edge> edges;
    private final Map<String, String> ids = new LinkedHashMap<>();
    private final Map<String, String> labels = new HashMap<>();
    private final List<Site> sites = new ArrayList<>();
    private final String fingerprint;

    public LockFindingShape(String kind, List<Edge> cycle) {
        this.edges = rotate(cycle);
        for (Edge e : edges) {
            ids.computeIfAbsent(e.fromKey(), k -> "L" + (ids.size() + 1));
            labels.putIfAbsent(e.fromKey(), e.fromLabel());
            ids.computeIfAbsent(e.toKey(), k -> "L" + (ids.size() + 1));
            labels.putIfAbsent(e.toKey(), e.toLabel());
        }
        disambiguate();
        String[] keys = new String[edges.size() * 2];
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            String a = ids.get(e.fromKey());
            String b = ids.get(e.toKey());
            sites.add(StackFrames.site("edge " + (i + 1) + ": " + a + " taken", e.held()));
            sites.add(StackFrames.site("edge " + (i + 1) + ": " + b + " taken while holding " + a, e.taken()));
            keys[2 * i] = StackFrames.siteKey(e.held(), 4);
            keys[2 * i + 1] = StackFrames.siteKey(e.taken(), 4);
        }
        this.fingerprint = Fingerprints.of(kind, keys);
    }

    private static List<Edge> rotate(List<Edge> cycle) {
        int n = cycle.size();
        int best = 0;
        String bestKey = null;
        for (int i = 0; i < n; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < n; k++) {
                Edge e = cycle.get((i + k) % n);
                sb.append(StackFrames.siteKey(e.held(), 4)).append('>').append(StackFrames.siteKey(e.taken(), 4)).append('|');
            }
            String key = sb.toString();
            if (bestKey == null || key.compareTo(bestKey) < 0) {
                bestKey = key;
                best = i;
            }
        }
        List<Edge> out = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            out.add(cycle.get((best + k) % n));
        }
        return out;
    }

    /**
     * Two locks with the same label (two accounts, two ReentrantLocks) are told apart by where the
     * cycle first took each ("ReentrantLock taken at Bank.java:18"), else by number.
     */
    private void disambiguate() {
        Map<String, String> takenAt = new HashMap<>();
        for (Edge e : edges) {
            Frame at = StackFrames.firstApplicationFrame(e.held());
            if (at != null) {
                takenAt.putIfAbsent(e.fromKey(), at.location());
            }
        }
        Map<String, Integer> seen = new HashMap<>();
        for (String key : ids.keySet()) {
            seen.merge(labels.get(key), 1, Integer::sum);
        }
        Map<String, String> renamed = new HashMap<>();
        for (String key : ids.keySet()) {
            String label = labels.get(key);
            renamed.put(key, seen.get(label) > 1 && takenAt.containsKey(key)
                    ? label + " taken at " + takenAt.get(key) : label);
        }
        Map<String, Integer> again = new HashMap<>();
        for (String key : ids.keySet()) {
            again.merge(renamed.get(key), 1, Integer::sum);
        }
        Map<String, Integer> numbered = new HashMap<>();
        for (String key : ids.keySet()) {
            String label = renamed.get(key);
            if (again.get(label) > 1) {
                String plain = labels.get(key);
                label = plain + " #" + numbered.merge(plain, 1, Integer::sum);
            }
            labels.put(key, label);
        }
    }

    public List<Edge> edges() {
        return edges;
    }

    public List<Site> sites() {
        return sites;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String id(String key) {
        return ids.get(key);
    }

    public String label(String key) {
        return labels.get(key);
    }

    /** The labels of all locks, in id order: "A and B", "A, B and C". */
    public String lockList() {
        List<String> names = new ArrayList<>();
        for (String key : ids.keySet()) {
            names.add(labels.get(key));
        }
        return joinAnd(names);
    }

    /** The locations where each edge's second lock is taken: "Bank.java:21 and Bank.java:31". */
    public String takenLocations() {
        List<String> locs = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            String l = sites.get(2 * i + 1).location();
            if (l != null && !locs.contains(l)) {
                locs.add(l);
            }
        }
        return joinAnd(locs);
    }

    static String joinAnd(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** One entry of {@code details.edges}: lock ids, the thread, and the indexes of its two sites. */
    public static Map<String, Object> edgeDetail(String from, String to, String thread, long threadId, int heldSite,
                                                 int takenSite) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", from);
        m.put("to", to);
        m.put("thread", thread);
        m.put("threadId", threadId);
        m.put("heldSite", heldSite);
        m.put("takenSite", takenSite);
        return m;
    }

    /** {@code details} with {@code locks}, {@code edges} and {@code scenario} (and the caller's extras). */
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        List<Map<String, Object>> locks = new ArrayList<>();
        for (Map.Entry<String, String> e : ids.entrySet()) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("id", e.getValue());
            l.put("label", labels.get(e.getKey()));
            locks.add(l);
        }
        d.put("locks", locks);
        List<Map<String, Object>> edgeList = new ArrayList<>();
        for (int i = 0; i < edges.size(); i++) {
            Edge e = edges.get(i);
            edgeList.add(edgeDetail(ids.get(e.fromKey()), ids.get(e.toKey()), e.threadName(), e.threadId(), 2 * i,
                    2 * i + 1));
        }
        d.put("edges", edgeList);
        d.put("scenario", scenario());
        return d;
    }

    /**
     * Lockdep's way of telling a cycle: one column per edge's thread; first every thread takes its
     * first lock, then every thread asks for its second, and nobody can go on.
     */
    private Map<String, Object> scenario() {
        int n = edges.size();
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            columns.add("Thread " + (i + 1) + " (" + edges.get(i).threadName() + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < n; i++) {
                List<String> row = new ArrayList<>();
                for (int c = 0; c < n; c++) {
                    row.add("");
                }
                Edge e = edges.get(i);
                row.set(i, "lock(" + ids.get(pass == 0 ? e.fromKey() : e.toKey()) + ")");
                rows.add(row);
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("columns", columns);
        s.put("rows", rows);
        return s;
    }

    /** A plain-text rendering of the scenario for messages. */
    public String scenarioText() {
        StringBuilder sb = new StringBuilder();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < edges.size(); i++) {
                Edge e = edges.get(i);
                String key = pass == 0 ? e.fromKey() : e.toKey();
                sb.append(sb.length() == 0 ? "" : "; ").append("thread ").append(i + 1).append(" (")
                        .append(e.threadName()).append(") takes ").append(ids.get(key));
            }
        }
        return sb.toString();
    }
}
