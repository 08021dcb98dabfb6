package dev.vigil.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended acquire/release of a semaphore, the permit ledger's hot path: the stand-in's
 * non-blocking first attempt succeeds (no wait is registered), the ledger finds the thread's own
 * holder entry for the site and counts. Run through {@link CompareWithAgent} with the regex
 * {@code SemaphoreBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SemaphoreBenchmark {

    private final Semaphore permits = new Semaphore(4);
    private int counter;

    @Benchmark
    public int acquireRelease() throws InterruptedException {
        permits.acquire();
        try {
            return ++counter;
        } finally {
            permits.release();
        }
    }

    @Benchmark
    public int tryAcquireRelease() {
        if (permits.tryAcquire()) {
            try {
                return ++counter;
            } finally {
                permits.release();
            }
        }
        return counter;
    }
}
