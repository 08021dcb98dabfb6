package dev.vigil.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The agent's packages, as {@code jdeps} reads the compiled classes: one-way, from the hooks'
 * trackers to the analysis, the reports and the runtime that drives them (docs/dev-notes/architecture.md).
 */
class PackageLayersTest {

    private static final String ROOT = "dev.vigil.agent";

    /** Lowest first: a package may use its own layer and the ones below it, never one above. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("host", "util", "stack", "options", "jfr", "findings"),
            Set.of("threads", "executors", "locks", "permits", "queues", "instrument"),
            Set.of("report"),
            Set.of("runtime", "control", "attach", "cli", ""));

    @Test
    void noPackageCycle() {
        Map<String, Set<String>> deps = dependencies();
        assertThat(deps).as("jdeps found the agent's packages").containsKeys("threads", "report", "runtime");
        assertThat(cycles(deps)).as("package cycles").isEmpty();
    }

    @Test
    void everyPackageUsesOnlyItsLayerAndTheOnesBelow() {
        List<String> upward = new ArrayList<>();
        dependencies().forEach((from, tos) -> {
            for (String to : tos) {
                if (layer(to) > layer(from)) {
                    upward.add(name(from) + " -> " + name(to));
                }
            }
        });
        assertThat(upward).as("dependencies on a higher layer").isEmpty();
    }

    private static int layer(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + name(pkg) + " is in no layer of this test: place it");
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? ROOT : ROOT + "." + pkg;
    }

    /** Package (relative to {@link #ROOT}, "" for the root) to the other agent packages it uses. */
    private static Map<String, Set<String>> dependencies() {
        Path classes = Path.of("target", "classes");
        assertThat(Files.isDirectory(classes)).as(classes + " (run from the agent module)").isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err), "-verbose:package", "-filter:none",
                classes.toString());
        assertThat(status).as("jdeps: " + err).isZero();
        Map<String, Set<String>> deps = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 3 && words[1].equals("->") && inAgent(words[0]) && inAgent(words[2])) {
                String from = relative(words[0]);
                String to = relative(words[2]);
                deps.computeIfAbsent(from, k -> new TreeSet<>());
                if (!from.equals(to)) {
                    deps.get(from).add(to);
                }
            }
        }
        return deps;
    }

    private static boolean inAgent(String pkg) {
        return pkg.equals(ROOT) || pkg.startsWith(ROOT + ".");
    }

    private static String relative(String pkg) {
        return pkg.equals(ROOT) ? "" : pkg.substring(ROOT.length() + 1);
    }

    /** The strongly connected components of more than one package (Tarjan), as names. */
    private static List<List<String>> cycles(Map<String, Set<String>> deps) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        for (String v : deps.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, deps, index, low, stack, onStack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> deps, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<List<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        onStack.add(v);
        for (String w : deps.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, deps, index, low, stack, onStack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(name(w));
            } while (!w.equals(v));
            if (component.size() > 1) {
                out.add(component);
            }
        }
    }
}
