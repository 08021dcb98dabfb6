package dev.vigil.examples.locks;

import java.util.concurrent.locks.ReentrantLock;

/**
 * BAD: {@link OppositeOrder} with {@code ReentrantLock}s: {@code debit} takes the account lock,
 * then the audit lock; {@code audit} takes them the other way round. The run never deadlocks; the
 * code can. Vigil reports a {@code lock-order-cycle}.
 */
public final class OppositeOrderLocks {

    private final ReentrantLock account = new ReentrantLock();
    private final ReentrantLock auditLog = new ReentrantLock();
    private long balance = 100;
    private int entries;

    void debit() {
        account.lock(); // vigil:expect lock-order-cycle
        try {
            auditLog.lock(); // vigil:expect lock-order-cycle
            try {
                balance -= 10;
                entries++;
            } finally {
                auditLog.unlock();
            }
        } finally {
            account.unlock();
        }
    }

    void audit() {
        auditLog.lock(); // vigil:expect lock-order-cycle
        try {
            account.lock(); // vigil:expect lock-order-cycle
            try {
                entries++;
            } finally {
                account.unlock();
            }
        } finally {
            auditLog.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        OppositeOrderLocks bank = new OppositeOrderLocks();
        Paths.runInTurn(new String[] {"debit", "audit"}, bank::debit, bank::audit);
        System.out.println("balance " + bank.balance + ", entries " + bank.entries);
    }
}
