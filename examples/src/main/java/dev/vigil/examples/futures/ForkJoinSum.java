package dev.vigil.examples.futures;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * GOOD: the fix of {@link JoinWithoutFork}. Each task forks one half, computes the other itself and
 * joins the forked half: every task joined was forked. The computation is long ({@code main} waits
 * on it for about a second), but the pool makes progress all along: workers that join help run
 * other tasks while they wait. Vigil reports nothing, even with a {@code stuckWait} far shorter.
 */
public final class ForkJoinSum {

    private ForkJoinSum() {
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
            if (to - from <= 1_000) {
                long sum = 0;
                for (int i = from; i < to; i++) {
                    sum += weight(numbers[i]);
                }
                return sum;
            }
            int mid = (from + to) >>> 1;
            Sum left = new Sum(numbers, from, mid);
            Sum right = new Sum(numbers, mid, to);
            left.fork();
            long rightSum = right.compute();
            return left.join() + rightSum;
        }
    }

    /** Some work per number (a long computation: its callers wait for seconds, while the pool makes progress). */
    static long weight(long n) {
        long x = n;
        for (int k = 0; k < 500; k++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
        }
        return x >>> 60;
    }

    public static void main(String[] args) {
        long[] numbers = new long[1_000_000];
        java.util.Arrays.fill(numbers, 1);
        ForkJoinPool pool = new ForkJoinPool(4);
        try {
            long total = pool.invoke(new Sum(numbers, 0, numbers.length));
            total += pool.submit(new Sum(numbers, 0, numbers.length)).join();
            System.out.println("sum " + total);
        } finally {
            pool.shutdown();
        }
    }
}
