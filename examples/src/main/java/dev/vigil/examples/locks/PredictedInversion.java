package dev.vigil.examples.locks;

/**
 * BAD, predicted: {@code post} locks an account, then its ledger; {@code reconcile} locks a ledger,
 * then its account. In this run they work on different accounts, so no lock instance was ever taken
 * in both orders, yet the code can deadlock as soon as both run on the same account. Vigil sees the
 * inversion over the lock <em>classes</em> and reports a {@code lock-order-cycle} with mode
 * {@code predicted} (severity warning).
 */
public final class PredictedInversion {

    static final class Account {
        long balance;
    }

    static final class Ledger {
        int entries;
    }

    static void post(Account account, Ledger ledger) {
        synchronized (account) { // vigil:expect lock-order-cycle
            synchronized (ledger) { // vigil:expect lock-order-cycle
                account.balance += 10;
                ledger.entries++;
            }
        }
    }

    static void reconcile(Ledger ledger, Account account) {
        synchronized (ledger) { // vigil:expect lock-order-cycle
            synchronized (account) { // vigil:expect lock-order-cycle
                ledger.entries--;
                account.balance -= 10;
            }
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
