package dev.vigil.examples.futures;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * BAD: a fork/join sum that joins a subtask it never forked. {@code right.join()} waits for a task
 * that is in no queue and that no worker will ever run: the worker blocks for ever (the pool adds
 * spare workers, which steal the other halves and block the same way), and the caller's
 * {@code get} gives up after 3 s. Vigil reports two {@code stuck-wait} findings
 * ({@code details.primitive = future}): the workers stuck at the {@code join()} line (one finding,
 * the other workers listed), and the caller waiting on the submitted task, with its submit line and
 * the worker running it. The fix, {@link ForkJoinSum}: fork one half and compute the other, or
 * {@code invokeAll(left, right)}.
 */
public final class JoinWithoutFork {

    private JoinWithoutFork() {
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
                    sum += numbers[i];
                }
                return sum;
            }
            int mid = (from + to) >>> 1;
            Sum left = new Sum(numbers, from, mid);
            Sum right = new Sum(numbers, mid, to);
            left.fork();
            return right.join() + left.join(); // vigil:expect stuck-wait
        }
    }

    public static void main(String[] args) throws InterruptedException, ExecutionException {
        long[] numbers = new long[100_000];
        java.util.Arrays.fill(numbers, 1);
        ForkJoinPool pool = new ForkJoinPool(2);
        ForkJoinTask<Long> sum = pool.submit(new Sum(numbers, 0, numbers.length)); // vigil:expect stuck-wait-submit
        try {
            System.out.println("sum " + sum.get(3, TimeUnit.SECONDS)); // vigil:expect stuck-wait
        } catch (TimeoutException e) {
            System.out.println("sum timed out");
        } finally {
            pool.shutdownNow(); // cancels the stuck joins; wait until the workers have let go
            pool.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
