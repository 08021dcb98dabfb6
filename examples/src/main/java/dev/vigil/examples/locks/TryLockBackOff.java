package dev.vigil.examples.locks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * GOOD: the second path takes the locks in the opposite order, but only with {@code tryLock}: if
 * the first lock is busy it backs off (releases what it holds) and retries, so it never waits while
 * holding. A successful tryLock cannot block, so it orders nothing. Vigil reports nothing.
 */
public final class TryLockBackOff {

    private final ReentrantLock account = new ReentrantLock();
    private final ReentrantLock auditLog = new ReentrantLock();
    private int entries;

    void debit() {
        account.lock();
        try {
            auditLog.lock();
            try {
                entries++;
            } finally {
                auditLog.unlock();
            }
        } finally {
            account.unlock();
        }
    }

    void audit() throws InterruptedException {
        while (true) {
            auditLog.lock();
            try {
                if (account.tryLock(10, TimeUnit.MILLISECONDS)) {
                    try {
                        entries++;
                        return;
                    } finally {
                        account.unlock();
                    }
                }
            } finally {
                auditLog.unlock();
            }
            Thread.sleep(1); // back off, then retry
        }
    }

    void auditNow() {
        auditLog.lock();
        try {
            if (account.tryLock()) {
                try {
                    entries++;
                } finally {
                    account.unlock();
                }
            }
        } finally {
            auditLog.unlock();
        }
    }

    public static void main(String[] args) throws InterruptedException {
        TryLockBackOff bank = new TryLockBackOff();
        Paths.runInTurn(new String[] {"debit", "audit", "audit-now"}, bank::debit, () -> {
            try {
                bank.audit();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, bank::auditNow);
        System.out.println("entries " + bank.entries);
    }
}
