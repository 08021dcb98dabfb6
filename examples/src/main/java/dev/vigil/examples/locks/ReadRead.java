package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * GOOD: two paths take two read locks in opposite orders. Readers do not exclude each other, so
 * the cycle cannot deadlock: Vigil reports nothing. (With a write lock on either side it could,
 * and Vigil would report it.)
 */
public final class ReadRead {

    private final ReentrantReadWriteLock prices = new ReentrantReadWriteLock();
    private final ReentrantReadWriteLock rates = new ReentrantReadWriteLock();
    private long total;

    void quote() {
        prices.readLock().lock();
        try {
            rates.readLock().lock();
            try {
                total++;
            } finally {
                rates.readLock().unlock();
            }
        } finally {
            prices.readLock().unlock();
        }
    }

    void convert() {
        rates.readLock().lock();
        try {
            prices.readLock().lock();
            try {
                total++;
            } finally {
                prices.readLock().unlock();
            }
        } finally {
            rates.readLock().unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        ReadRead market = new ReadRead();
        Paths.runInTurn(new String[] {"quote", "convert"}, market::quote, market::convert);
        System.out.println("total " + market.total);
    }
}
