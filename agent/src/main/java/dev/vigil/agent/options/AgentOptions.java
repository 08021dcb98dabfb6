package dev.vigil.agent.options;

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
 * {@link OptionException} naming it and listing the valid keys. {@link #parse} only reads the
 * text; {@link #prepare} then makes what the options name usable (the report directory, the JFR
 * file's, the suppressions and baseline files), so parsing can be tested, and done again, without
 * touching the file system.
 */
public final class AgentOptions {

    /** What {@code jdkLocks} tracks when not given: all but {@code StringBuffer} (docs/PERFORMANCE.md). */
    public static final String DEFAULT_JDK_LOCKS = "Hashtable:Vector:Observable:Collections";

    /** One option: its key and its default, as a user would write it. */
    public record Option(String key, String defaultValue) {
    }

    /** Every option with its default, in the order the README's options table lists them; the one place a default is written. */
    public static final List<Option> OPTIONS = List.of(
            new Option("report", "vigil-report"),
            new Option("include", ""),
            new Option("exclude", ""),
            new Option("exitGrace", "2s"),
            new Option("interval", "0"),
            new Option("threadGrowth", "64"),
            new Option("summary", "true"),
            new Option("deadlockCheck", "1s"),
            new Option("jdkLocks", DEFAULT_JDK_LOCKS),
            new Option("stuckWait", "30s"),
            new Option("longTask", "0"),
            new Option("memory", "auto"),
            new Option("jfr", ""),
            new Option("failOn", "none"),
            new Option("suppress", ""),
            new Option("baseline", ""));

    /** Valid keys, in the order the README documents them. */
    public static final List<String> KEYS = keys();

    /**
     * The JDK classes whose monitors {@code jdkLocks} can track, by the name the option uses:
     * {@code Collections} stands for the {@code Collections.synchronized*} wrappers.
     */
    public static final List<String> JDK_LOCK_CLASSES = List.of("Hashtable", "Vector", "Observable", "Collections",
            "StringBuffer");

    private final Map<String, String> effective;
    private final Path reportDir;
    private final PackageFilter packages;
    private final long exitGraceMillis;
    private final long intervalMillis;
    private final int threadGrowth;
    private final boolean summary;
    private final Path jfrFile;
    private final long deadlockCheckMillis;
    private final java.util.Set<String> jdkLocks;
    private final long stuckWaitMillis;
    private final long longTaskMillis;
    private final long memoryBytes;
    private final Severity failOn;
    private final Path suppressFile;
    private final Path baselineFile;
    private FindingFilter findingFilter = FindingFilter.none();

    private static List<String> keys() {
        String[] keys = new String[OPTIONS.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = OPTIONS.get(i).key();
        }
        return List.of(keys);
    }

    /**
     * Reads and validates every option; touches no file ({@link #prepare} does).
     *
     * @param pid expands {@code %p} in paths
     */
    public static AgentOptions parse(String args, long pid) throws OptionException {
        Map<String, String> given = given(args);
        Map<String, String> values = new LinkedHashMap<>();
        for (Option o : OPTIONS) {
            values.put(o.key(), given.getOrDefault(o.key(), o.defaultValue()));
        }
        return new AgentOptions(values, pid);
    }

    /** The options given, by key: each known, with a value, at most once. */
    private static Map<String, String> given(String args) throws OptionException {
        Map<String, String> raw = new LinkedHashMap<>();
        if (args == null || args.isBlank()) {
            return raw;
        }
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
        return raw;
    }

    /** {@code values}: every key, given or default; the effective ones are these, normalised where parsing does. */
    private AgentOptions(Map<String, String> values, long pid) throws OptionException {
        try {
            packages = PackageFilter.of(values.get("include"), values.get("exclude"));
        } catch (IllegalArgumentException e) {
            throw new OptionException(e.getMessage() + validKeys());
        }
        reportDir = reportDir(expand(values.get("report"), pid));
        exitGraceMillis = duration("exitGrace", values.get("exitGrace"));
        intervalMillis = duration("interval", values.get("interval"));
        threadGrowth = positiveInt("threadGrowth", values.get("threadGrowth"));
        values.put("threadGrowth", Integer.toString(threadGrowth));
        summary = bool("summary", values.get("summary"));
        values.put("summary", Boolean.toString(summary));
        String jfr = values.get("jfr");
        jfrFile = jfr.isEmpty() ? null : absolute("jfr", expand(jfr, pid));
        deadlockCheckMillis = duration("deadlockCheck", values.get("deadlockCheck"));
        jdkLocks = jdkLocks(values.get("jdkLocks"));
        stuckWaitMillis = duration("stuckWait", values.get("stuckWait"));
        longTaskMillis = duration("longTask", values.get("longTask"));
        String memory = values.get("memory");
        memoryBytes = memory.equalsIgnoreCase("auto") ? 0 : size("memory", memory);
        String failGiven = values.get("failOn");
        String fail = failGiven.toLowerCase(Locale.ROOT);
        values.put("failOn", fail);
        failOn = switch (fail) {
            case "none" -> null;
            case "error", "warning", "info" -> Severity.parse(fail);
            default -> throw new OptionException("option 'failOn': '" + failGiven
                    + "' is not one of none, error, warning, info" + validKeys());
        };
        suppressFile = ciFile("suppress", values.get("suppress"), pid);
        baselineFile = ciFile("baseline", values.get("baseline"), pid);
        effective = java.util.Collections.unmodifiableMap(values);
    }

    /**
     * Makes what the options name usable before {@code main} runs: creates the report directory
     * and the JFR file's and proves them writable; reads the suppressions and the baseline
     * (options {@code suppress}, {@code baseline}: see docs/ci.md). Returns this.
     */
    public AgentOptions prepare() throws OptionException {
        writableDirectory("report", reportDir);
        if (jfrFile != null) {
            if (Files.isDirectory(jfrFile)) {
                throw new OptionException("option 'jfr': " + jfrFile + " is a directory; give a file such as app.jfr"
                        + validKeys());
            }
            writableDirectory("jfr", jfrFile.getParent());
        }
        Suppressions rules = Suppressions.none();
        Baseline known = Baseline.none();
        try {
            if (suppressFile != null) {
                rules = Suppressions.read(suppressFile);
            }
        } catch (CiFileException e) {
            throw new OptionException("option 'suppress': " + e.getMessage() + validKeys());
        }
        try {
            if (baselineFile != null) {
                known = Baseline.read(baselineFile);
            }
        } catch (CiFileException e) {
            throw new OptionException("option 'baseline': " + e.getMessage() + validKeys());
        }
        findingFilter = new FindingFilter(rules, known);
        return this;
    }

    /** The file option {@code key} names ({@code %p}, {@code %t} expanded), or null when it is empty. */
    private static Path ciFile(String key, String value, long pid) throws OptionException {
        if (value.isEmpty()) {
            return null;
        }
        try {
            return Path.of(expand(value, pid));
        } catch (InvalidPathException e) {
            throw new OptionException("option '" + key + "': invalid path '" + value + "'" + validKeys());
        }
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
        return absolute("report", value);
    }

    private static Path absolute(String key, String value) throws OptionException {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new OptionException("option '" + key + "': invalid path '" + value + "'" + validKeys());
        }
    }

    private static void writableDirectory(String key, Path dir) throws OptionException {
        try {
            Files.createDirectories(dir);
            probeWritable(dir);
        } catch (IOException | SecurityException e) {
            throw new OptionException("option '" + key + "': directory " + dir + " is not writable ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")" + validKeys());
        }
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
