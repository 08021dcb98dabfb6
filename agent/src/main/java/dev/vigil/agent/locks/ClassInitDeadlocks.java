package dev.vigil.agent.locks;

import dev.vigil.agent.findings.Fingerprints;
import dev.vigil.agent.stack.SiteFrames;
import dev.vigil.agent.stack.StackFrames;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Class-initialization deadlocks (issue 18 part 3): threads each running a static initializer
 * ({@code <clinit>}) and waiting for a class another of them is initializing, possibly through
 * ordinary locks. The JVM shows such threads as {@code RUNNABLE} with no lock: neither
 * {@code ThreadMXBean.findDeadlockedThreads} nor a lock hook sees them. Only HotSpot's own thread
 * dump says what they wait for ("waiting on the Class initialization monitor for C"); Vigil asks
 * for it (the {@code threadPrint} diagnostic command) only when the cheap looks say it may be
 * needed:
 *
 * <ol>
 *   <li>every {@link #LOOK_MILLIS}, the threads' states without stacks, and the CPU time of the
 *       {@code RUNNABLE} ones;</li>
 *   <li>those whose CPU time did not move since the last look: their top frame; a thread in native
 *       code (a socket read, a selector) is idle, one whose top frame is Java code may be waiting
 *       for a class's initialization;</li>
 *   <li>when one may be, the thread dump: a wait-for graph (a class-init wait leads to
 *       the thread with that class's {@code <clinit>} on its stack, a lock wait to the lock's
 *       owner) whose cycles through a class-init wait are the deadlocks.</li>
 * </ol>
 * One finding per set of threads, {@code details.detectedBy: class-init}.
 */
final class ClassInitDeadlocks {

    /** Between two looks at most once per this; the first look only records CPU times. */
    static final long LOOK_MILLIS = 2_000;
    static final int STACK_DEPTH = 256;
    private static final Pattern HEADER = Pattern.compile("^\"(.*)\" #(\\d+) ");
    private static final Pattern INIT_WAIT = Pattern.compile("- waiting on the Class initialization monitor for (\\S+)");

    static final String HOW_TO_FIX = "Static initializers that need each other's classes, run by two threads at once, "
            + "wait for each other for ever. Break the cycle: move the dependency out of one static initializer (a lazy "
            + "holder class, an explicit init method called after both classes exist), or initialize one class from the "
            + "other's thread first; never take a lock in a static initializer that a thread holding it could need the "
            + "class for.";

    private final StackFrames stacks;
    private final SiteFrames siteFrames;
    /** Where a blocked thread asked for its monitor (exact line); null in unit tests. */
    private final LockTracker tracker;
    private ThreadMXBean mx;
    private long lastLookNanos;
    private Map<Long, Long> cpuBefore = new HashMap<>();

    ClassInitDeadlocks(StackFrames stacks, LockTracker tracker) {
        this.stacks = stacks;
        this.siteFrames = new SiteFrames(stacks);
        this.tracker = tracker;
    }

    /** A class-init deadlock: its threads, in cycle order, each with what it waits for. */
    record Cycle(List<Member> members) {
    }

    /** One thread of a cycle: it waits for {@code waitsFor} (a class being initialized, or a lock), held by the next. */
    record Member(long threadId, String name, boolean daemon, String state, List<Frame> now, String initializing,
                  List<Frame> initializingFrames, String waitsFor, boolean classWait) {
    }

    /** One look; the new cycles found (empty most of the time). */
    List<Finding> look() {
        long now = System.nanoTime();
        if (lastLookNanos != 0 && now - lastLookNanos < LOOK_MILLIS * 1_000_000L) {
            return List.of();
        }
        lastLookNanos = now;
        if (mx == null) {
            mx = ManagementFactory.getThreadMXBean();
        }
        if (!mx.isThreadCpuTimeSupported() || !mx.isThreadCpuTimeEnabled()) {
            return List.of();
        }
        Map<Long, Long> cpu = new HashMap<>();
        List<Long> still = new ArrayList<>();
        for (ThreadInfo i : mx.getThreadInfo(mx.getAllThreadIds(), 0)) {
            if (i == null || i.getThreadState() != Thread.State.RUNNABLE) {
                continue;
            }
            long t = mx.getThreadCpuTime(i.getThreadId());
            cpu.put(i.getThreadId(), t);
            Long before = cpuBefore.get(i.getThreadId());
            if (before != null && before == t) {
                still.add(i.getThreadId());
            }
        }
        cpuBefore = cpu;
        if (still.isEmpty()) {
            return List.of();
        }
        // RUNNABLE without using the CPU: in native code (a socket read, a selector) or waiting for a
        // class's initialization, whose top frame is the Java frame that needs the class.
        boolean mayWaitForInit = false;
        for (ThreadInfo i : mx.getThreadInfo(still.stream().mapToLong(Long::longValue).toArray(), 1)) {
            StackTraceElement[] top = i == null ? null : i.getStackTrace();
            mayWaitForInit |= top != null && top.length > 0 && !top[0].isNativeMethod();
        }
        return mayWaitForInit ? cycles(threadDump()) : List.of();
    }

    /** The innermost class whose static initializer is on {@code stack}, or null. */
    private static String initializing(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (f.getMethodName().equals("<clinit>")) {
                return f.getClassName();
            }
        }
        return null;
    }

    /** HotSpot's thread dump: thread id to the class it waits to see initialized. */
    private static Map<Long, String> threadDump() {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "threadPrint",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return classWaits(String.valueOf(text));
        } catch (Exception notThere) {
            return Map.of(); // not HotSpot, or no diagnostic commands: nothing to see
        }
    }

    /** Parses a thread dump: which thread ({@code "name" #id}) waits for which class's initialization. */
    static Map<Long, String> classWaits(String dump) {
        Map<Long, String> out = new HashMap<>();
        long current = -1;
        for (String line : dump.split("\n")) {
            Matcher h = HEADER.matcher(line);
            if (h.find()) {
                current = Long.parseLong(h.group(2));
                continue;
            }
            Matcher w = INIT_WAIT.matcher(line.trim());
            if (current >= 0 && w.find()) {
                out.put(current, w.group(1));
            }
        }
        return out;
    }

    private final Set<String> reported = new HashSet<>();

    private List<Finding> cycles(Map<Long, String> classWaits) {
        if (classWaits.isEmpty()) {
            return List.of();
        }
        ThreadInfo[] all = mx.getThreadInfo(mx.getAllThreadIds(), STACK_DEPTH);
        Map<Long, ThreadInfo> byId = new HashMap<>();
        Map<String, Long> initializer = new HashMap<>();
        for (ThreadInfo i : all) {
            if (i == null) {
                continue;
            }
            byId.put(i.getThreadId(), i);
            for (StackTraceElement f : i.getStackTrace()) {
                if (f.getMethodName().equals("<clinit>")) {
                    initializer.putIfAbsent(f.getClassName(), i.getThreadId());
                }
            }
        }
        List<Finding> out = new ArrayList<>();
        Set<Long> done = new HashSet<>();
        for (long start : classWaits.keySet()) {
            List<Long> path = new ArrayList<>();
            long t = start;
            while (t >= 0 && !path.contains(t) && !done.contains(t)) {
                path.add(t);
                t = next(t, classWaits, initializer, byId);
            }
            done.addAll(path);
            if (t < 0 || !path.contains(t)) {
                continue;
            }
            List<Long> cycle = path.subList(path.indexOf(t), path.size());
            boolean throughInit = false;
            for (long id : cycle) {
                throughInit |= classWaits.containsKey(id);
            }
            List<Long> key = new ArrayList<>(cycle);
            key.sort(null);
            if (throughInit && reported.add(key.toString())) {
                out.add(finding(cycle, classWaits, byId));
            }
        }
        return out;
    }

    /** The thread {@code t} waits for: the initializer of the class it waits for, else its lock's owner; -1 if none. */
    private static long next(long t, Map<Long, String> classWaits, Map<String, Long> initializer, Map<Long, ThreadInfo> byId) {
        String c = classWaits.get(t);
        if (c != null) {
            Long owner = initializer.get(c);
            return owner == null || owner == t ? -1 : owner;
        }
        ThreadInfo i = byId.get(t);
        return i == null ? -1 : i.getLockOwnerId();
    }

    private Finding finding(List<Long> cycle, Map<Long, String> classWaits, Map<Long, ThreadInfo> byId) {
        List<ThreadRef> threads = new ArrayList<>();
        List<Site> sites = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<Map<String, Object>> waits = new ArrayList<>();
        StringBuilder msg = new StringBuilder();
        List<String> keys = new ArrayList<>();
        for (long id : cycle) {
            ThreadInfo i = byId.get(id);
            List<Frame> now = stacks.frames(i.getStackTrace(), 0);
            threads.add(new ThreadRef(id, i.getThreadName(), i.isDaemon(), true, i.getThreadState().name(), now));
            names.add("'" + i.getThreadName() + "'");
            String init = initializing(i.getStackTrace());
            String waitsFor = classWaits.get(id);
            boolean classWait = waitsFor != null;
            if (!classWait) {
                waitsFor = i.getLockInfo() == null ? "?" : LockLabels.ofClassName(i.getLockInfo().getClassName());
            }
            // A monitor's hook records it just before MONITORENTER: the exact line, where the JVM's
            // stack of a blocked thread shows the next one.
            String lockSite = classWait || tracker == null || i.getLockInfo() == null ? null
                    : tracker.heldSite(id, i.getLockInfo().getIdentityHashCode());
            sites.add(StackFrames.site("'" + i.getThreadName() + "' waits for " + (classWait ? "class " + simple(waitsFor)
                    + " to be initialized" : waitsFor), lockSite == null ? now : siteFrames.at(lockSite, now)));
            if (init != null) {
                List<Frame> initFrames = fromClinit(now, init);
                sites.add(StackFrames.site("'" + i.getThreadName() + "' initializing class " + simple(init), initFrames));
                classes.add(simple(init));
            }
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("thread", i.getThreadName());
            w.put("threadId", id);
            w.put("initializing", init);
            w.put(classWait ? "waitsForClass" : "waitsForLock", waitsFor);
            waits.add(w);
            msg.append(msg.length() == 0 ? "" : " ").append("Thread '").append(i.getThreadName()).append("'");
            if (init != null) {
                msg.append(" runs the static initializer of ").append(simple(init));
            }
            msg.append(init != null ? " and" : "").append(" waits at ")
                    .append(sites.get(sites.size() - (init != null ? 2 : 1)).location()).append(" for ")
                    .append(classWait ? "class " + simple(waitsFor) + " to be initialized" : waitsFor).append('.');
            keys.add(init + ">" + waitsFor);
        }
        msg.append(" A thread waiting for a class's initialization is RUNNABLE and holds no lock the JVM can see, so the JVM"
                + " reports no deadlock; none of them can ever proceed.");
        keys.sort(null);
        String title = "Deadlock in class initialization: threads " + LockFindingShape.joinAnd(names)
                + " wait for each other (static initializer of " + String.join(", ", classes) + ")";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("detectedBy", "class-init");
        details.put("waits", waits);
        return new Finding(FindingKinds.DEADLOCK, Severity.ERROR,
                Fingerprints.of(FindingKinds.DEADLOCK, "class-init", String.join("|", keys)), title, msg.toString(),
                HOW_TO_FIX, threads, sites, details);
    }

    private static List<Frame> fromClinit(List<Frame> now, String className) {
        for (int k = 0; k < now.size(); k++) {
            Frame f = now.get(k);
            if (f.method().equals("<clinit>") && f.className().equals(className)) {
                return now.subList(k, now.size());
            }
        }
        return now;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }
}
