package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * GOOD: the two paths of {@link OppositeOrder} take their locks in opposite orders, but always
 * under one gate lock, so they can never overlap: no deadlock is possible and Vigil reports nothing.
 * (The gate serialises them: correct, if not the fastest design.)
 */
public final class GatedInversion {

    private static final ReentrantLock GATE = new ReentrantLock();
    private final Object inventory = new Object();
    private final Object orders = new Object();
    private int count;

    void reserve() {
        GATE.lock();
        try {
            synchronized (inventory) {
                synchronized (orders) {
                    count++;
                }
            }
        } finally {
            GATE.unlock();
        }
    }

    void cancel() {
        GATE.lock();
        try {
            synchronized (orders) {
                synchronized (inventory) {
                    count--;
                }
            }
        } finally {
            GATE.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        GatedInversion shop = new GatedInversion();
        Paths.runInTurn(new String[] {"reserve", "cancel"}, shop::reserve, shop::cancel);
        System.out.println("count " + shop.count);
    }
}
