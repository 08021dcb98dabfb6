package dev.vigil.junit;

import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Fails a test that leaks threads, the way Go's {@code goleak.VerifyNone(t)} fails a Go test.
 *
 * <p><b>Which threads are the test's.</b> Before each test (before its {@code @BeforeEach}
 * methods) the test thread gets a fresh {@link TestScope} as its context class loader; the JDK
 * copies it into every thread created from there, transitively, executors' workers included.
 * After the test (after its {@code @AfterEach} methods) the threads that carry that scope and are
 * still alive are the test's. So tests running in parallel never blame each other, and threads
 * of JDK-owned pools (the common {@code ForkJoinPool}), which get the system class loader, are
 * never blamed. Limits: a thread whose context class loader is set explicitly (by a thread factory
 * or by itself) is not seen; threads started in {@code @BeforeAll} belong to no test; virtual
 * threads are not seen. JUnit's own timeout watcher thread is ignored.
 *
 * <p><b>Grace.</b> A thread that is ending is not a leak: each is joined with one shared deadline
 * ({@link VigilCheck#graceMillis()}, default {@value #DEFAULT_GRACE_MILLIS} ms); only threads
 * still alive after it fail the test.
 *
 * <p><b>With the agent.</b> When the Vigil agent is attached ({@code -javaagent} or
 * {@code attach}), the failure names where each leaked thread was started, and any new finding
 * at or above {@link VigilCheck#failOn()} (executors, permits, lock-order cycles, as those
 * detectors exist) that appeared during the test fails it too. In parallel mode a finding is
 * blamed on a test only when one of its threads is the test's thread or one of its threads.
 */
public final class VigilExtension implements BeforeEachCallback, AfterEachCallback {

    static final long DEFAULT_GRACE_MILLIS = 2_000;
    private static final List<String> IGNORED_PREFIXES = List.of("junit-jupiter-timeout-watcher");
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(VigilExtension.class);

    private record State(TestScope scope, ClassLoader original, Thread testThread, Set<String> findingsBefore) {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Thread current = Thread.currentThread();
        ClassLoader original = current.getContextClassLoader();
        TestScope scope = new TestScope(context.getDisplayName(), original);
        Set<String> before = new HashSet<>();
        AgentLink agent = AgentLink.find();
        String failOn = failOn(context);
        if (agent != null && failOn != null) {
            for (AgentLink.Finding f : agent.findings(failOn)) {
                before.add(f.fingerprint());
            }
        }
        context.getStore(NS).put(State.class, new State(scope, original, current, before));
        current.setContextClassLoader(scope);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        State state = context.getStore(NS).remove(State.class, State.class);
        if (state == null) {
            return;
        }
        state.testThread().setContextClassLoader(state.original());
        long grace = graceMillis(context);
        List<Thread> mine = threadsOf(state.scope());
        long deadline = System.nanoTime() + grace * 1_000_000;
        for (Thread t : mine) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            t.join(Math.max(1, left));
        }
        List<Thread> leaked = new ArrayList<>();
        for (Thread t : mine) {
            if (t.isAlive()) {
                leaked.add(t);
            }
        }
        AgentLink agent = AgentLink.find();
        StringBuilder failure = new StringBuilder();
        if (!leaked.isEmpty()) {
            describeLeak(failure, leaked, grace, agent);
        }
        String failOn = failOn(context);
        if (agent != null && failOn != null) {
            List<AgentLink.Finding> created = newFindings(agent, failOn, state, mine, context);
            if (!created.isEmpty()) {
                failure.append(failure.length() == 0 ? "" : "\n").append("Vigil: this test created ")
                        .append(created.size()).append(created.size() == 1 ? " finding" : " findings")
                        .append(" at or above ").append(failOn).append(':');
                for (AgentLink.Finding f : created) {
                    failure.append("\n  ").append(inert(f.toString()));
                }
            }
        }
        if (failure.length() > 0) {
            throw new AssertionError(failure.toString());
        }
    }

    private static List<AgentLink.Finding> newFindings(AgentLink agent, String failOn, State state, List<Thread> mine,
                                                       ExtensionContext context) {
        boolean concurrent = context.getExecutionMode() == ExecutionMode.CONCURRENT;
        Set<Long> ours = new HashSet<>();
        ours.add(state.testThread().getId());
        for (Thread t : mine) {
            ours.add(t.getId());
        }
        List<AgentLink.Finding> created = new ArrayList<>();
        for (AgentLink.Finding f : agent.findings(failOn)) {
            if (state.findingsBefore().contains(f.fingerprint())) {
                continue;
            }
            if (concurrent && f.threadIds().stream().noneMatch(ours::contains)) {
                continue; // another test's, running at the same time
            }
            created.add(f);
        }
        return created;
    }

    private static void describeLeak(StringBuilder sb, List<Thread> leaked, long grace, AgentLink agent) {
        sb.append("Vigil: this test leaked ").append(leaked.size()).append(leaked.size() == 1 ? " thread" : " threads")
                .append(" (still alive ").append(grace).append(" ms after the test returned):");
        for (Thread t : leaked) {
            sb.append("\n  '").append(inert(t.getName())).append("' (").append(t.isDaemon() ? "daemon, " : "")
                    .append(t.getState()).append(')');
            String site = agent == null ? null : agent.startSite(t.getId());
            if (site != null) {
                String[] lines = site.split("\n", 2);
                sb.append(" started at ").append(lines[0]);
            }
            sb.append("\n    now:");
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < Math.min(stack.length, 8); i++) {
                sb.append("\n      at ").append(stack[i]);
            }
        }
        sb.append("\nStop every thread the test starts before it returns: signal or interrupt it and join it, "
                + "or shut the executor down and await its termination.");
    }

    /** Live threads, other than the caller, whose context class loader is {@code scope}. */
    static List<Thread> threadsOf(TestScope scope) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n;
        while ((n = root.enumerate(all, true)) == all.length) {
            all = new Thread[all.length * 2];
        }
        List<Thread> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Thread t = all[i];
            if (t != Thread.currentThread() && t.isAlive() && t.getContextClassLoader() == scope && !ignored(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static boolean ignored(Thread t) {
        for (String p : IGNORED_PREFIXES) {
            if (t.getName().startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    private static Optional<VigilCheck> config(ExtensionContext context) {
        Optional<VigilCheck> onMethod = context.getElement().flatMap(e -> find(e));
        return onMethod.isPresent() ? onMethod : context.getTestClass().flatMap(c -> find(c));
    }

    private static Optional<VigilCheck> find(AnnotatedElement e) {
        return AnnotationSupport.findAnnotation(e, VigilCheck.class);
    }

    private static long graceMillis(ExtensionContext context) {
        return config(context).map(VigilCheck::graceMillis).orElse(DEFAULT_GRACE_MILLIS);
    }

    /** The threshold for agent findings, or null for none. */
    private static String failOn(ExtensionContext context) {
        String v = config(context).map(VigilCheck::failOn).orElse("warning").toLowerCase(Locale.ROOT);
        return switch (v) {
            case "none" -> null;
            case "error", "warning", "info" -> v;
            default -> throw new IllegalArgumentException("@VigilCheck(failOn = \"" + v
                    + "\"): use error, warning, info or none");
        };
    }

    /**
     * A thread name or finding title as one inert line, as Vigil's stderr summary prints it:
     * newline, CR and tab as {@code \n \r \t}, other C0/C1 controls and the bidirectional controls
     * (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C) and U+2028/U+2029 as {@code \}{@code uXXXX}:
     * a test report shows them, and they cannot forge a line or reorder the text around them.
     */
    static String inert(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
                    || (c >= '\u2066' && c <= '\u2069') || c == '\u200e' || c == '\u200f' || c == '\u061c'
                    || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
