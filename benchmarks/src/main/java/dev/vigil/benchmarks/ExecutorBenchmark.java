package dev.vigil.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A trivial task submitted to an application pool and awaited: the cost the executor hooks add to
 * {@code execute} (submit site), {@code beforeExecute}/{@code afterExecute} (task ledger) and the
 * future's {@code get}/{@code join} (observation). Target: within 1.3x of no agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExecutorBenchmark {

    private ExecutorService pool;
    private ForkJoinPool forkJoin;
    private final long[] numbers = new long[4_096];

    @Setup(Level.Trial)
    public void start() {
        pool = Executors.newFixedThreadPool(1);
        forkJoin = new ForkJoinPool(2);
        java.util.Arrays.fill(numbers, 1);
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        forkJoin.shutdown();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Benchmark
    public Integer submitAndGet() throws ExecutionException, InterruptedException {
        return pool.submit(() -> 42).get();
    }

    @Benchmark
    public Integer supplyAsyncAndJoin() {
        return CompletableFuture.supplyAsync(() -> 42, pool).join();
    }

    /**
     * A fork/join sum of 4,096 numbers in leaves of 64: 63 forks and joins per call, some of them
     * waits ({@code ForkJoinTask.awaitDone}), plus one submission from outside the pool.
     */
    @Benchmark
    public Long forkJoinSum() {
        return forkJoin.invoke(new Sum(numbers, 0, numbers.length));
    }

    /** {@code new CompletableFuture<>()} at an application line (its creation site is remembered), completed and read. */
    @Benchmark
    public Integer newCompletableFuture() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        f.complete(42);
        return f.join();
    }

    static final class Sum extends RecursiveTask<Long> {
        private final long[] numbers;
        private final int from;
        private final int to;

        Sum(long[] numbers, int from, int to) {
            this.numbers = numbers;
            this.from = from;
            this.to = to;
        }

        @Override
        protected Long compute() {
            if (to - from <= 64) {
                long sum = 0;
                for (int i = from; i < to; i++) {
                    sum += numbers[i];
                }
                return sum;
            }
            int mid = (from + to) >>> 1;
            Sum left = new Sum(numbers, from, mid);
            left.fork();
            long right = new Sum(numbers, mid, to).compute();
            return left.join() + right;
        }
    }
}
