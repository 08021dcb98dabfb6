package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD, predicted, with {@code ReentrantLock}s: {@code post} locks an account, then its ledger;
 * {@code reconcile} locks a ledger, then its account. Each call works on other instances, so no
 * lock was ever taken in both orders, yet the code deadlocks as soon as both run on the same
 * account. A {@code java.util.concurrent} lock's class is where it was created: every account's
 * lock comes from one {@code new ReentrantLock()}, every ledger's from another, so Vigil sees the
 * inversion between those two lock classes and reports a {@code lock-order-cycle} with mode
 * {@code predicted} (severity warning).
 */
public final class PredictedInversionLocks {

    static final class Account {
        final ReentrantLock lock = new ReentrantLock();
        long balance;
    }

    static final class Ledger {
        final ReentrantLock lock = new ReentrantLock();
        int entries;
    }

    static void post(Account account, Ledger ledger) {
        account.lock.lock(); // vigil:expect lock-order-cycle
        try {
            ledger.lock.lock(); // vigil:expect lock-order-cycle
            try {
                account.balance += 10;
                ledger.entries++;
            } finally {
                ledger.lock.unlock();
            }
        } finally {
            account.lock.unlock();
        }
    }

    static void reconcile(Ledger ledger, Account account) {
        ledger.lock.lock(); // vigil:expect lock-order-cycle
        try {
            account.lock.lock(); // vigil:expect lock-order-cycle
            try {
                ledger.entries--;
                account.balance -= 10;
            } finally {
                account.lock.unlock();
            }
        } finally {
            ledger.lock.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        Account alice = new Account();
        Ledger aliceLedger = new Ledger();
        Account bob = new Account();
        Ledger bobLedger = new Ledger();
        Paths.runInTurn(new String[] {"post", "reconcile"},
                () -> post(alice, aliceLedger), () -> reconcile(bobLedger, bob));
        System.out.println("alice " + alice.balance + ", bob " + bob.balance);
    }
}
