package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * GOOD: the fix of {@link OppositeOrder}: every path takes the inventory before the orders (one
 * global order), with monitors and with {@code ReentrantLock}s. Vigil reports nothing.
 */
public final class ConsistentOrder {

    private final Object inventory = new Object();
    private final Object orders = new Object();
    private final ReentrantLock account = new ReentrantLock();
    private final ReentrantLock auditLog = new ReentrantLock();
    private int count;

    void reserve() {
        synchronized (inventory) {
            synchronized (orders) {
                count++;
            }
        }
        account.lock();
        try {
            auditLog.lock();
            try {
                count++;
            } finally {
                auditLog.unlock();
            }
        } finally {
            account.unlock();
        }
    }

    void cancel() {
        synchronized (inventory) {
            synchronized (orders) {
                count--;
            }
        }
        account.lock();
        try {
            auditLog.lock();
            try {
                count--;
            } finally {
                auditLog.unlock();
            }
        } finally {
            account.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ConsistentOrder shop = new ConsistentOrder();
        Paths.runInTurn(new String[] {"reserve", "cancel"}, shop::reserve, shop::cancel);
        System.out.println("count " + shop.count);
    }
}
