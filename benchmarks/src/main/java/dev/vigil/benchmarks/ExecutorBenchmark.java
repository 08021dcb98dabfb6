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
 * {@code execute} (submit site), the worker loop ({@code Worker.run}, {@code getTask}: task ledger) and the
 * future's {@code get}/{@code join} (observation). Target: within 1.3x of no agent.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExecutorBenchmark {

    private ExecutorService pool;
    private ForkJoinPool forkJoin;

    @Setup(Level.Trial)
    public void start() {
        pool = Executors.newFixedThreadPool(1);
        forkJoin = new ForkJoinPool(2);
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
     * Fibonacci(20) with subproblems below 10 computed directly: 232 forks and joins per call, some
     * of them waits ({@code ForkJoinTask.awaitDone}), plus one submission from outside the pool.
     */
    @Benchmark
    public Integer forkJoinFibonacci() {
        return forkJoin.invoke(new Fibonacci(20));
    }

    /** {@code new CompletableFuture<>()} at an application line (its creation site is remembered), completed and read. */
    @Benchmark
    public Integer newCompletableFuture() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        f.complete(42);
        return f.join();
    }

    static final class Fibonacci extends RecursiveTask<Integer> {
        private final int n;

        Fibonacci(int n) {
            this.n = n;
        }

        @Override
        protected Integer compute() {
            if (n < 10) {
                return direct(n);
            }
            Fibonacci minusOne = new Fibonacci(n - 1);
            minusOne.fork();
            return new Fibonacci(n - 2).compute() + minusOne.join();
        }

        private static int direct(int n) {
            return n < 2 ? n : direct(n - 1) + direct(n - 2);
        }
    }
}
