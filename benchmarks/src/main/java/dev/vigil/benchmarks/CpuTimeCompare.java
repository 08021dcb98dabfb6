package dev.vigil.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * A fallback to {@link CompareWithAgent} for a shared, loaded machine: runs the
 * {@link LockBenchmark} and {@link JdkMonitorBenchmark} bodies in a plain loop and measures the
 * <em>CPU time of the measuring thread</em> per operation (median of rounds), which other
 * processes competing for the CPUs barely change, unlike JMH's wall-clock time. Less rigorous
 * than JMH (no blackhole; the results feed a checksum that is printed), so use it only to compare
 * the same build with and without the agent, run one after the other:
 *
 * <pre>java -cp vigil-benchmarks.jar dev.vigil.benchmarks.CpuTimeCompare [rounds] [ops per round] [benchmark]
 * java -javaagent:vigil-agent.jar -cp vigil-benchmarks.jar dev.vigil.benchmarks.CpuTimeCompare ...</pre>
 *
 * {@code scripts/cpu-time-compare.sh} runs each benchmark in its own JVM, without and with the agent.
 */
public final class CpuTimeCompare {

    private CpuTimeCompare() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 5_000_000;
        // One benchmark per JVM keeps the loop's call site monomorphic (the body inlines, as in JMH).
        only = args.length > 2 ? args[2] : null;
        LockBenchmark locks = new LockBenchmark();
        JdkMonitorBenchmark jdk = new JdkMonitorBenchmark();
        jdk.fill();
        long checksum = 0;
        checksum += run("synchronizedDepth1", locks::synchronizedDepth1, rounds, ops);
        checksum += run("synchronizedDepth2", locks::synchronizedDepth2, rounds, ops);
        checksum += run("reentrantLockDepth1", locks::reentrantLockDepth1, rounds, ops);
        checksum += run("reentrantLockDepth2", locks::reentrantLockDepth2, rounds, ops);
        checksum += run("hashtableGet", jdk::hashtableGet, rounds, ops);
        checksum += run("vectorGet", jdk::vectorGet, rounds, ops);
        checksum += run("synchronizedMapGet", jdk::synchronizedMapGet, rounds, ops);
        checksum += run("stringBufferAppend", jdk::stringBufferAppend, rounds, ops);
        checksum += run("hashtableGetUnderLock", jdk::hashtableGetUnderLock, rounds, ops);
        SemaphoreBenchmark semaphore = new SemaphoreBenchmark();
        checksum += run("semaphoreAcquireRelease", () -> {
            try {
                return semaphore.acquireRelease();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, rounds, ops);
        checksum += run("semaphoreTryAcquireRelease", semaphore::tryAcquireRelease, rounds, ops);
        System.out.println("checksum " + checksum);
    }

    private static String only;

    private static long run(String name, IntSupplier body, int rounds, int ops) {
        if (only != null && !only.equals(name)) {
            return 0;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (int w = 0; w < 5; w++) { // warm-up: C2 compiles the loop with the body inlined
            sum += loop(body, ops);
        }
        double[] perOp = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = mx.getCurrentThreadCpuTime();
            sum += loop(body, ops);
            perOp[r] = (mx.getCurrentThreadCpuTime() - t0) / (double) ops;
        }
        Arrays.sort(perOp);
        System.out.printf(Locale.ROOT, "%-24s median %7.2f ns/op (min %7.2f, max %7.2f) cpu%n", name,
                perOp[rounds / 2], perOp[0], perOp[rounds - 1]);
        return sum;
    }

    private static long loop(IntSupplier body, int ops) {
        long s = 0;
        for (int i = 0; i < ops; i++) {
            s += body.getAsInt();
        }
        return s;
    }
}
