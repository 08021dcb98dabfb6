package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD: three paths, three locks, no two paths in opposite order, and still a cycle:
 * pricing then stock, stock then shipping, shipping then pricing. Three threads running these at
 * once can deadlock. Vigil reports a {@code lock-order-cycle} with three edges.
 */
public final class ThreeLockCycle {

    static final class Pricing {
    }

    private final Pricing pricing = new Pricing();
    private final ReentrantLock stock = new ReentrantLock();
    private final Object shipping = new Object();

    void reprice() {
        synchronized (pricing) { // vigil:expect lock-order-cycle
            stock.lock(); // vigil:expect lock-order-cycle
            stock.unlock();
        }
    }

    void restock() {
        stock.lock(); // vigil:expect lock-order-cycle
        try {
            synchronized (shipping) { // vigil:expect lock-order-cycle
                Thread.onSpinWait();
            }
        } finally {
            stock.unlock();
        }
    }

    void ship() {
        synchronized (shipping) { // vigil:expect lock-order-cycle
            synchronized (pricing) { // vigil:expect lock-order-cycle
                Thread.onSpinWait();
            }
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ThreeLockCycle store = new ThreeLockCycle();
        Paths.runInTurn(new String[] {"reprice", "restock", "ship"}, store::reprice, store::restock, store::ship);
        System.out.println("done");
    }
}
