package dev.vigil.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended lock/unlock, the agent's hot path: nothing new is seen, so the hooks must only look
 * at the thread's own held-lock stack (depth 1) and its cache of known edges (depth 2, the edge
 * outer -&gt; inner is known after the first call). Run through {@link CompareWithAgent}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {

    private final Object outer = new Object();
    private final Object inner = new Object();
    private final ReentrantLock outerLock = new ReentrantLock();
    private final ReentrantLock innerLock = new ReentrantLock();
    private int counter;

    @Benchmark
    public int synchronizedDepth1() {
        synchronized (outer) {
            return ++counter;
        }
    }

    @Benchmark
    public int synchronizedDepth2() {
        synchronized (outer) {
            synchronized (inner) {
                return ++counter;
            }
        }
    }

    @Benchmark
    public int reentrantLockDepth1() {
        outerLock.lock();
        try {
            return ++counter;
        } finally {
            outerLock.unlock();
        }
    }

    @Benchmark
    public int reentrantLockDepth2() {
        outerLock.lock();
        try {
            innerLock.lock();
            try {
                return ++counter;
            } finally {
                innerLock.unlock();
            }
        } finally {
            outerLock.unlock();
        }
    }
}
