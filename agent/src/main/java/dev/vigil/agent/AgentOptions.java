package dev.vigil.agent;

import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.report.ci.Baseline;
import dev.vigil.report.ci.CiFileException;
import dev.vigil.report.ci.FindingFilter;
import dev.vigil.report.ci.Suppressions;
import dev.vigil.report.model.Severity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's options: {@code key=value,key=value}, as in JaCoCo's agent. Pattern lists are
 * separated by {@code :}. Every option is validated here, before {@code main} runs: a bad one is an
 * {@link OptionException} naming it and listing the valid keys.
 */
public final class AgentOptions {

    /** Valid keys, in the order the README documents them. */
    public static final List<String> KEYS = List.of(
            "report", "include", "exclude", "exitGrace", "interval", "threadGrowth", "summary", "jfr",
            "deadlockCheck", "jdkLocks", "stuckWait", "longTask", "memory", "failOn", "suppress", "baseline");

    /**
     * The JDK classes whose monitors {@code jdkLocks} can track, by the name the option uses:
     * {@code Collections} stands for the {@code Collections.synchronized*} wrappers.
     */
    public static final List<String> JDK_LOCK_CLASSES = List.of("Hashtable", "Vector", "Observable", "Collections",
            "StringBuffer");

    /** What {@code jdkLocks} tracks when not given: all but {@code StringBuffer} (docs/PERFORMANCE.md). */
    public static final String DEFAULT_JDK_LOCKS = "Hashtable:Vector:Observable:Collections";

    private final Map<String, String> effective;
    private final Path reportDir;
    private final PackageFilter packages;
    private final long exitGraceMillis;
    private final long intervalMillis;
    private final int threadGrowth;
    private final boolean summary;
    private final Path jfrFile;
    private final long deadlockCheckMillis;
    private java.util.Set<String> jdkLocks = java.util.Set.of();
    private long stuckWaitMillis;
    private long longTaskMillis;
    private Severity failOn;
    private long memoryBytes;
    private FindingFilter findingFilter = FindingFilter.none();

    private AgentOptions(Map<String, String> effective, Path reportDir, PackageFilter packages,
                         long exitGraceMillis, long intervalMillis, int threadGrowth, boolean summary, Path jfrFile,
                         long deadlockCheckMillis) {
        this.effective = effective;
        this.reportDir = reportDir;
        this.packages = packages;
        this.exitGraceMillis = exitGraceMillis;
        this.intervalMillis = intervalMillis;
        this.threadGrowth = threadGrowth;
        this.summary = summary;
        this.jfrFile = jfrFile;
        this.deadlockCheckMillis = deadlockCheckMillis;
    }

    /**
     * Parses and validates; creates the report directory and proves it is writable.
     *
     * @param pid expands {@code %p} in paths
     */
    public static AgentOptions parse(String args, long pid) throws OptionException {
        Map<String, String> raw = new LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            for (String part : args.split(",", -1)) {
                int eq = part.indexOf('=');
                String key = (eq < 0 ? part : part.substring(0, eq)).trim();
                if (key.isEmpty()) {
                    throw new OptionException("empty option in '" + args + "'" + validKeys());
                }
                if (!KEYS.contains(key)) {
                    throw new OptionException("unknown option '" + key + "'" + validKeys());
                }
                if (eq < 0) {
                    throw new OptionException("option '" + key + "' needs a value (" + key + "=...)" + validKeys());
                }
                if (raw.put(key, part.substring(eq + 1).trim()) != null) {
                    throw new OptionException("option '" + key + "' is given twice" + validKeys());
                }
            }
        }
        Map<String, String> eff = new LinkedHashMap<>();
        String report = raw.getOrDefault("report", "vigil-report");
        eff.put("report", report);
        String include = raw.getOrDefault("include", "");
        eff.put("include", include);
        String exclude = raw.getOrDefault("exclude", "");
        eff.put("exclude", exclude);
        long exitGrace = duration("exitGrace", raw.getOrDefault("exitGrace", "2s"));
        eff.put("exitGrace", raw.getOrDefault("exitGrace", "2s"));
        long interval = duration("interval", raw.getOrDefault("interval", "0"));
        eff.put("interval", raw.getOrDefault("interval", "0"));
        int growth = positiveInt("threadGrowth", raw.getOrDefault("threadGrowth", "64"));
        eff.put("threadGrowth", Integer.toString(growth));
        boolean summary = bool("summary", raw.getOrDefault("summary", "true"));
        eff.put("summary", Boolean.toString(summary));
        long deadlockCheck = duration("deadlockCheck", raw.getOrDefault("deadlockCheck", "1s"));
        eff.put("deadlockCheck", raw.getOrDefault("deadlockCheck", "1s"));

        String jfr = raw.getOrDefault("jfr", "");
        eff.put("jfr", jfr);

        PackageFilter filter;
        try {
            filter = PackageFilter.of(include, exclude);
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage() + validKeys());
        }
        Path dir = reportDir(expand(report, pid));
        Path jfrFile = jfr.isEmpty() ? null : jfrFile(expand(jfr, pid));
        AgentOptions options = new AgentOptions(eff, dir, filter, exitGrace, interval, growth, summary, jfrFile,
                deadlockCheck);
        String jdk = raw.getOrDefault("jdkLocks", DEFAULT_JDK_LOCKS);
        options.jdkLocks = jdkLocks(jdk);
        eff.put("jdkLocks", jdk);
        options.stuckWaitMillis = duration("stuckWait", raw.getOrDefault("stuckWait", "30s"));
        eff.put("stuckWait", raw.getOrDefault("stuckWait", "30s"));
        options.longTaskMillis = duration("longTask", raw.getOrDefault("longTask", "0"));
        eff.put("longTask", raw.getOrDefault("longTask", "0"));
        String memory = raw.getOrDefault("memory", "auto");
        options.memoryBytes = memory.equalsIgnoreCase("auto") ? 0 : size("memory", memory);
        eff.put("memory", memory);
        options.ciGates(raw, eff, pid);
        return options;
    }

    /** Options {@code failOn}, {@code suppress}, {@code baseline}: see docs/ci.md. */
    private void ciGates(Map<String, String> raw, Map<String, String> eff, long pid) throws OptionException {
        String fail = raw.getOrDefault("failOn", "none").toLowerCase(Locale.ROOT);
        eff.put("failOn", fail);
        switch (fail) {
            case "none" -> failOn = null;
            case "error", "warning", "info" -> failOn = Severity.parse(fail);
            default -> throw new OptionException("option 'failOn': '" + raw.get("failOn")
                    + "' is not one of none, error, warning, info" + validKeys());
        }
        String suppress = raw.getOrDefault("suppress", "");
        String baseline = raw.getOrDefault("baseline", "");
        eff.put("suppress", suppress);
        eff.put("baseline", baseline);
        Suppressions rules = Suppressions.none();
        Baseline known = Baseline.none();
        try {
            if (!suppress.isEmpty()) {
                rules = Suppressions.read(Path.of(expand(suppress, pid)));
            }
        } catch (CiFileException | InvalidPathException e) {
            throw new OptionException("option 'suppress': " + e.getMessage() + validKeys());
        }
        try {
            if (!baseline.isEmpty()) {
                known = Baseline.read(Path.of(expand(baseline, pid)));
            }
        } catch (CiFileException | InvalidPathException e) {
            throw new OptionException("option 'baseline': " + e.getMessage() + validKeys());
        }
        findingFilter = new FindingFilter(rules, known);
    }

    static String expand(String path, long pid) {
        String expanded = path.replace("%p", Long.toString(pid));
        if (!expanded.contains("%t")) {
            return expanded; // java.time's first use costs 10 ms of start-up
        }
        return expanded.replace("%t", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    private static Path reportDir(String value) throws OptionException {
        if (value.isEmpty()) {
            throw new OptionException("option 'report' needs a directory" + validKeys());
        }
        Path dir;
        try {
            dir = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new OptionException("option 'report': invalid path '" + value + "'" + validKeys());
        }
        try {
            Files.createDirectories(dir);
            probeWritable(dir);
        } catch (IOException | SecurityException e) {
            throw new OptionException("option 'report': directory " + dir + " is not writable ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")" + validKeys());
        }
        return dir;
    }

    /**
     * Creates and deletes a file of its own in {@code dir}. Not {@code Files.createTempFile}: its
     * random name comes from {@code SecureRandom}, whose seeding was 25 ms of an empty main's start.
     */
    private static void probeWritable(Path dir) throws IOException {
        Path probe = dir.resolve(".vigil-probe." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        Files.createFile(probe);
        Files.delete(probe);
    }

    private static Path jfrFile(String value) throws OptionException {
        Path file;
        try {
            file = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new OptionException("option 'jfr': invalid path '" + value + "'" + validKeys());
        }
        if (Files.isDirectory(file)) {
            throw new OptionException("option 'jfr': " + file + " is a directory; give a file such as app.jfr" + validKeys());
        }
        try {
            Files.createDirectories(file.getParent());
            probeWritable(file.getParent());
        } catch (IOException | SecurityException e) {
            throw new OptionException("option 'jfr': directory " + file.getParent() + " is not writable ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")" + validKeys());
        }
        return file;
    }

    /** {@code 0}, or a number with a unit: {@code ms}, {@code s}, {@code m}, {@code h}. */
    static long duration(String key, String value) throws OptionException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        long unit;
        String digits;
        if (v.endsWith("ms")) {
            unit = 1;
            digits = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            unit = 1000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            unit = 60_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            unit = 3_600_000;
            digits = v.substring(0, v.length() - 1);
        } else if (v.equals("0")) {
            return 0;
        } else {
            throw new OptionException("option '" + key + "': '" + value
                    + "' is not a duration (use 0, or a number with ms, s, m or h, e.g. 500ms)" + validKeys());
        }
        try {
            long n = Long.parseLong(digits);
            if (n < 0 || n > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return n * unit;
        } catch (NumberFormatException e) {
            throw new OptionException("option '" + key + "': '" + value
                    + "' is not a duration (use 0, or a number with ms, s, m or h, e.g. 500ms)" + validKeys());
        }
    }

    /** A size: a number with k, m or g (binary units), at least 1m, e.g. {@code 16m}. */
    static long size(String key, String value) throws OptionException {
        String v = value.trim().toLowerCase(Locale.ROOT);
        String message = "option '" + key + "': '" + value + "' is not a size (use auto, or a number with k, m or g of "
                + "at least 1m, e.g. 16m)" + validKeys();
        if (v.isEmpty()) {
            throw new OptionException(message);
        }
        int shift = switch (v.charAt(v.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> throw new OptionException(message);
        };
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            if (n < 0 || n > Long.MAX_VALUE >> shift || n << shift < (1L << 20)) {
                throw new OptionException(message);
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new OptionException(message);
        }
    }

    /** The agent's memory budget in bytes; 0 for {@code auto} (a share of the heap, see MemoryGovernor). */
    public long memoryBytes() {
        return memoryBytes;
    }

    private static int positiveInt(String key, String value) throws OptionException {
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new OptionException("option '" + key + "': '" + value + "' is not a positive whole number" + validKeys());
    }

    /** {@code none}, {@code all}, or {@code :}-separated names from {@link #JDK_LOCK_CLASSES}. */
    private static java.util.Set<String> jdkLocks(String value) throws OptionException {
        String v = value.trim();
        if (v.equals("none")) {
            return java.util.Set.of();
        }
        if (v.equals("all")) {
            return java.util.Set.copyOf(JDK_LOCK_CLASSES);
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String name : v.split(":", -1)) {
            if (!JDK_LOCK_CLASSES.contains(name.trim())) {
                throw new OptionException("option 'jdkLocks': '" + name.trim() + "' is not one of "
                        + String.join(", ", JDK_LOCK_CLASSES) + " (separate them with ':'; or all, none)" + validKeys());
            }
            out.add(name.trim());
        }
        return java.util.Set.copyOf(out);
    }

    /** The JDK classes whose monitors are tracked (names from {@link #JDK_LOCK_CLASSES}). */
    public java.util.Set<String> jdkLocks() {
        return jdkLocks;
    }

    private static boolean bool(String key, String value) throws OptionException {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new OptionException("option '" + key + "': '" + value + "' is not true or false" + validKeys());
        };
    }

    private static String validKeys() {
        return "; valid options: " + String.join(", ", KEYS);
    }

    public Map<String, String> effective() {
        return effective;
    }

    public Path reportDir() {
        return reportDir;
    }

    public PackageFilter packages() {
        return packages;
    }

    public long exitGraceMillis() {
        return exitGraceMillis;
    }

    public long intervalMillis() {
        return intervalMillis;
    }

    public int threadGrowth() {
        return threadGrowth;
    }

    public boolean summary() {
        return summary;
    }

    /** Findings at or above this severity fail the run (exit status 3), or null (option {@code failOn}). */
    public Severity failOn() {
        return failOn;
    }

    /** Suppressions and baseline (options {@code suppress}, {@code baseline}). */
    public FindingFilter findingFilter() {
        return findingFilter;
    }

    /** The recording Vigil starts itself, or null (option {@code jfr}). */
    public Path jfrFile() {
        return jfrFile;
    }

    /** How often the JVM is asked for deadlocked threads; 0: never. */
    public long deadlockCheckMillis() {
        return deadlockCheckMillis;
    }

    /** How long a thread may block on a semaphore, latch, barrier, condition, queue or future before it is a stuck wait; 0: never. */
    public long stuckWaitMillis() {
        return stuckWaitMillis;
    }

    /** How long a task may run before it is reported as running too long; 0: never. */
    public long longTaskMillis() {
        return longTaskMillis;
    }
}
