package dev.vigil.benchmarks;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Uncontended {@code offer} then {@code poll} on one thread, at an application call site: the cost
 * of the queue stand-ins' fast path (the same queue as last time: a thread-local read, a reference
 * compare, two plain writes) and of the low-level JFR events' enabled check. Target: within 1.5x
 * of no agent.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class QueueBenchmark {

    private final BlockingQueue<Integer> array = new ArrayBlockingQueue<>(1024);
    private final BlockingQueue<Integer> linked = new LinkedBlockingQueue<>();
    private final Integer item = 42;

    @Benchmark
    public Integer arrayOfferPoll() {
        array.offer(item);
        return array.poll();
    }

    @Benchmark
    public Integer linkedOfferPoll() {
        linked.offer(item);
        return linked.poll();
    }
}
