package dev.vigil.examples.executors;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * BAD: work handed to an application {@code ForkJoinPool} from outside, never awaited. Each
 * indexing job forks two sub-tasks inside the pool; main shuts the pool down without awaiting the jobs,
 * the pool's workers are daemons, and the jobs are cut off when the JVM exits. Vigil reports one
 * {@code task-leak} at the submit line, counting the four jobs once each (the forks inside the
 * pool are the pool's business, not new submissions). One job that main does wait for with
 * {@code invoke} completes and is no finding.
 */
public final class ForkJoinLostWork {

    private ForkJoinLostWork() {
    }

    static final CountDownLatch STORE_READY = new CountDownLatch(1); // never ready in this run

    static final class IndexJob extends RecursiveAction {
        private final int depth;

        IndexJob(int depth) {
            this.depth = depth;
        }

        @Override
        protected void compute() {
            if (depth > 0) {
                invokeAll(new IndexJob(depth - 1), new IndexJob(depth - 1));
                return;
            }
            try {
                STORE_READY.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static void main(String[] args) {
        ForkJoinPool pool = new ForkJoinPool(2);
        pool.invoke(new RecursiveAction() {
            @Override
            protected void compute() {
                // the warm-up job: awaited, completes
            }
        });
        for (int i = 0; i < 4; i++) {
            pool.execute(new IndexJob(1)); // vigil:expect task-leak
        }
        pool.shutdown(); // without waiting: the jobs are still running
        System.out.println("indexing submitted");
    }
}
