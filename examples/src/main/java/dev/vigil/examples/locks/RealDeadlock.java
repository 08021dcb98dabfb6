package dev.vigil.examples.locks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD: a real deadlock. Two threads each take their first lock, wait until the other has its
 * own, then ask for the other's: neither can ever proceed, and the program hangs for ever. Vigil
 * writes a {@code deadlock} finding while the process hangs, with both threads, the locks they
 * hold and the locks they want. {@code --locks} does the same with {@code ReentrantLock}s.
 */
public final class RealDeadlock {

    static final class Account {
        final String name;

        Account(String name) {
            this.name = name;
        }
    }

    private final Account alice = new Account("alice");
    private final Account bob = new Account("bob");
    private final ReentrantLock aliceLock = new ReentrantLock();
    private final ReentrantLock bobLock = new ReentrantLock();
    private final CountDownLatch bothHoldOne = new CountDownLatch(2);

    void transfer(Account from, Account to) {
        synchronized (from) { // vigil:expect deadlock
            awaitOther();
            synchronized (to) { // vigil:expect deadlock
                System.out.println("moved money from " + from.name + " to " + to.name);
            }
        }
    }

    void transfer(ReentrantLock from, ReentrantLock to) {
        from.lock(); // vigil:expect deadlock
        try {
            awaitOther();
            to.lock(); // vigil:expect deadlock
            to.unlock();
        } finally {
            from.unlock();
        }
    }

    private void awaitOther() {
        bothHoldOne.countDown();
        try {
            bothHoldOne.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        RealDeadlock bank = new RealDeadlock();
        boolean locks = args.length > 0 && args[0].equals("--locks");
        Thread one = new Thread(() -> {
            if (locks) {
                bank.transfer(bank.aliceLock, bank.bobLock);
            } else {
                bank.transfer(bank.alice, bank.bob);
            }
        }, "alice-to-bob");
        Thread two = new Thread(() -> {
            if (locks) {
                bank.transfer(bank.bobLock, bank.aliceLock);
            } else {
                bank.transfer(bank.bob, bank.alice);
            }
        }, "bob-to-alice");
        one.start();
        two.start();
        System.out.println("transfers started");
        one.join();
        two.join();
        System.out.println("never printed");
    }
}
