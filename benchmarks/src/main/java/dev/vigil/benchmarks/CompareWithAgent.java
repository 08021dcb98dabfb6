package dev.vigil.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmarks twice in one command, in forks without the agent and in forks with
 * {@code -javaagent}, and prints each score and the ratio. Several forks average out what varies
 * from one JVM to the next (with the agent, where G1 placed the thread's lock stack: its write
 * barrier costs more across regions).
 *
 * <pre>java -jar benchmarks/target/vigil-benchmarks.jar [agent jar] [iterations] [seconds per iteration] [regex] [forks]</pre>
 */
public final class CompareWithAgent {

    private CompareWithAgent() {
    }

    public static void main(String[] args) throws RunnerException, java.io.IOException {
        Path agent = Path.of(args.length > 0 ? args[0] : "agent/target/vigil-agent.jar").toAbsolutePath();
        int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String include = args.length > 3 ? args[3] : LockBenchmark.class.getSimpleName();
        int forks = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        if (!Files.isRegularFile(agent)) {
            throw new IllegalArgumentException("agent jar not found: " + agent + " (build it with mvn -B package)");
        }
        Path report = Files.createTempDirectory("vigil-bench-report");

        Map<String, Double> plain = run(base(include, iterations, seconds, forks));
        Map<String, Double> withAgent = run(base(include, iterations, seconds, forks)
                .jvmArgsAppend("-javaagent:" + agent + "=report=" + report + ",summary=false"));

        System.out.println();
        System.out.println("JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
                + " CPUs, " + iterations + " x " + seconds + " s measurement, " + forks + (forks == 1 ? " fork" : " forks")
                + " each");
        System.out.printf(Locale.ROOT, "%-40s %14s %14s %8s%n", "benchmark", "no agent ns/op", "agent ns/op", "ratio");
        for (Map.Entry<String, Double> e : plain.entrySet()) {
            Double a = withAgent.get(e.getKey());
            System.out.printf(Locale.ROOT, "%-40s %14.2f %14.2f %7.2fx%n", e.getKey(), e.getValue(),
                    a == null ? Double.NaN : a, a == null ? Double.NaN : a / e.getValue());
        }
    }

    private static ChainedOptionsBuilder base(String include, int iterations, int seconds, int forks) {
        return new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(Math.max(2, iterations / 2))
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds));
    }

    private static Map<String, Double> run(ChainedOptionsBuilder options) throws RunnerException {
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> scores = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            scores.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getScore());
        }
        return scores;
    }
}
