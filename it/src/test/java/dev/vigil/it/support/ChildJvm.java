package dev.vigil.it.support;

import dev.vigil.report.json.ReportFormatException;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM started the way a user starts one: {@code java -javaagent:vigil-agent.jar=... -cp ...
 * Main}. Output goes to files so that a hung child can still be read.
 */
public final class ChildJvm {

    /** Longest any child may run: a hang beyond this is a failure, never a silent pass. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Jdk jdk;
    private final Path workDir;
    private final List<String> jvmArgs = new ArrayList<>();
    private String agentOptions;
    private boolean withAgent = true;
    private boolean agentTroubleExpected;
    private String classpath;
    private String mainClass;
    private final List<String> args = new ArrayList<>();

    private ChildJvm(Jdk jdk, Path workDir) {
        this.jdk = jdk;
        this.workDir = workDir;
    }

    /** A child on {@code jdk} whose working and report directories live under {@code workDir}. */
    public static ChildJvm on(Jdk jdk, Path workDir) {
        return new ChildJvm(jdk, workDir).classpath(Paths.examplesJar().toString());
    }

    /** Options after {@code =}; the report directory defaults to {@code workDir/report}. */
    /** {@code java -jar vigil-agent.jar <args>} on {@code jdk}, run to completion, as a user types it. */
    public static Result agentCommand(Jdk jdk, Path workDir, String... args) {
        return on(jdk, workDir).withoutAgent().classpath(Paths.agentJar().toString())
                .main("dev.vigil.agent.VigilAgent", args).run();
    }

    public ChildJvm agentOptions(String options) {
        this.agentOptions = options;
        return this;
    }

    /**
     * The test is about the agent's own failures (internal errors counted, a failed self-test):
     * its reports are not checked for them. Every other child's reports are.
     */
    public ChildJvm expectingAgentTrouble() {
        this.agentTroubleExpected = true;
        return this;
    }

    /**
     * What every test asserts of every report it reads (OpenTelemetry's agent tests fail on any
     * instrumentation error the same way): no internal error, and a self-test that passed.
     */
    Report checked(Report r, String stdout, String stderr) {
        if (agentTroubleExpected || r.agent() == null) {
            return r;
        }
        if (r.agent().internalErrors() != 0 || !"passed".equals(r.agent().selfTest())) {
            throw new AssertionError("the agent reported trouble: " + r.agent().internalErrors() + " internal errors "
                    + r.agent().errorSamples() + ", self-test " + r.agent().selfTest() + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr);
        }
        return r;
    }

    public ChildJvm withoutAgent() {
        this.withAgent = false;
        return this;
    }

    public ChildJvm classpath(String cp) {
        this.classpath = cp;
        return this;
    }

    public ChildJvm jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public ChildJvm main(String className, String... mainArgs) {
        this.mainClass = className;
        this.args.clear();
        this.args.addAll(List.of(mainArgs));
        return this;
    }

    public Path reportDir() {
        return workDir.resolve("report");
    }

    public Path reportJson() {
        return reportDir().resolve(ReportJson.FILE_NAME);
    }

    private List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        // The JDK's own classes verified too, as application classes always are: a JDK class
        // Vigil rewrites into bytecode that does not verify fails the child at once. With and
        // without the agent alike (the flag turns class-data sharing off), so runs compare.
        cmd.add("-XX:+UnlockDiagnosticVMOptions");
        cmd.add("-XX:+BytecodeVerificationLocal");
        if (withAgent) {
            String opts = agentOptions == null ? "report=" + reportDir() : agentOptions;
            if (!opts.contains("report=")) {
                opts = "report=" + reportDir() + (opts.isEmpty() ? "" : "," + opts);
            }
            cmd.add("-javaagent:" + Paths.agentJar() + "=" + opts);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the child without waiting. */
    public Running start() {
        try {
            Files.createDirectories(workDir);
            Path out = Files.createTempFile(workDir, "stdout", ".txt");
            Path err = Files.createTempFile(workDir, "stderr", ".txt");
            ProcessBuilder pb = new ProcessBuilder(command())
                    .directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().remove("_JAVA_OPTIONS");
            return new Running(pb.start(), out, err, this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the child to completion (at most {@link #TIMEOUT}). */
    public Result run() {
        Running r = start();
        return r.awaitExit();
    }

    /** A child that is running. */
    public static final class Running {
        private final Process process;
        private final Path out;
        private final Path err;
        private final ChildJvm spec;

        Running(Process process, Path out, Path err, ChildJvm spec) {
            this.process = process;
            this.out = out;
            this.err = err;
            this.spec = spec;
        }

        public Process process() {
            return process;
        }

        public Result awaitExit() {
            return awaitExit(TIMEOUT);
        }

        /** Waits at most {@code timeout} for the child to exit; kills it and fails after that. */
        public Result awaitExit(Duration timeout) {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor();
                    throw new AssertionError("child did not exit within " + timeout + "\nstdout:\n" + read(out)
                            + "\nstderr:\n" + read(err));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return new Result(process.exitValue(), read(out), read(err), spec);
        }

        /**
         * Waits until the child has written a report that satisfies {@code condition} (reports are
         * replaced atomically, so each read sees a whole one). Fails after {@link #TIMEOUT}.
         */
        public Report awaitReport(Predicate<Report> condition) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            Report last = null;
            while (System.nanoTime() < deadline) {
                if (Files.exists(spec.reportJson())) {
                    try {
                        last = ReportJson.read(spec.reportJson());
                        if (condition.test(last)) {
                            return spec.checked(last, read(out), read(err));
                        }
                    } catch (ReportFormatException e) {
                        throw new AssertionError("a report file was not a whole report: " + e.getMessage(), e);
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("child exited (" + process.exitValue() + ") before the expected report"
                            + "\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("no matching report within " + TIMEOUT + "; last: "
                    + (last == null ? "none" : ReportJson.toJson(last)) + "\nstderr:\n" + read(err));
        }

        /**
         * As {@link #awaitReport}, for a child that must hang (a deadlock): runs {@code whileHung},
         * checks that the child is still alive, and kills it, whatever happened.
         */
        public Report awaitReportWhileHung(Predicate<Report> condition, Runnable whileHung) {
            try {
                Report r = awaitReport(condition);
                whileHung.run();
                if (!process.isAlive()) {
                    throw new AssertionError("the program should hang, as it would without Vigil; it exited ("
                            + process.exitValue() + ")\nstderr:\n" + read(err));
                }
                return r;
            } finally {
                kill();
            }
        }

        /** Waits until the child's stderr contains {@code text}; fails after {@link #TIMEOUT}. */
        public String awaitStderr(String text) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                String now = read(err);
                if (now.contains(text)) {
                    return now;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("child exited before printing '" + text + "'\nstderr:\n" + read(err));
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
            throw new AssertionError("stderr did not show '" + text + "' within " + TIMEOUT + ":\n" + read(err));
        }

        public String stdout() {
            return read(out);
        }

        /** Waits until the child has printed {@code text} on stdout; fails after {@link #TIMEOUT} or if it exits. */
        public void awaitStdout(String text) {
            awaitStdout(text, TIMEOUT);
        }

        /** Waits at most {@code timeout} until the child has printed {@code text} on stdout. */
        public void awaitStdout(String text, Duration timeout) {
            awaitText(out, "stdout", text, timeout);
        }

        private void awaitText(Path file, String name, String text, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!read(file).contains(text)) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("child never printed '" + text + "' on " + name
                            + (process.isAlive() ? " within " + timeout : " and exited") + "\nstdout:\n" + read(out) + "\nstderr:\n" + read(err));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }

        public String stderr() {
            return read(err);
        }

        /** Kills the child (SIGKILL: no shutdown hooks, like an operator giving up on a hung process). */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A finished child. */
    public record Result(int exitCode, String stdout, String stderr, ChildJvm spec) {

        /** The report the child left; fails the test if there is none or it is broken. */
        public Report report() {
            try {
                return spec.checked(ReportJson.read(spec.reportJson()), stdout, stderr);
            } catch (ReportFormatException e) {
                throw new AssertionError(e.getMessage() + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr, e);
            }
        }

        /**
         * Stderr without Vigil's own lines. Nothing else is left out: the JVM's own notices must be
         * the same as without the agent (it once printed a class-data-sharing warning at every start).
         */
        public String stderrWithoutVigil() {
            StringBuilder sb = new StringBuilder();
            for (String line : stderr.split("\n", -1)) {
                if (!line.startsWith("vigil: ")) {
                    sb.append(line).append('\n');
                }
            }
            return sb.toString();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }
}
