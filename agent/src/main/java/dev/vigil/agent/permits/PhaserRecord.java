package dev.vigil.agent.permits;

import dev.vigil.agent.host.ThreadFacts;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * The threads known to be parties of one phaser: those that registered themselves
 * ({@code register()}) or arrived at some phase, with the last phase each arrived at. Parties
 * registered in bulk ({@code new Phaser(n)}, {@code bulkRegister(n)}) are known only as a count
 * until their thread first arrives. At most {@link #MAX_PARTIES} threads, held weakly.
 */
final class PhaserRecord {

    static final int MAX_PARTIES = 32;

    /** One party thread. {@code lastArrived} is -1 until it arrives. */
    static final class PartyThread {
        final long threadId;
        final String threadName;
        final WeakReference<Thread> thread;
        volatile int lastArrived = -1;
        volatile boolean deregistered;
        volatile String site;

        PartyThread(Thread t, String site) {
            this.threadId = ThreadFacts.id(t);
            this.threadName = ThreadFacts.name(t);
            this.thread = new WeakReference<>(t);
            this.site = site;
        }

        boolean ended() {
            Thread t = thread.get();
            return t == null || !t.isAlive();
        }
    }

    private final List<PartyThread> parties = new ArrayList<>();
    /** Parties registered in bulk by some thread for others. */
    long bulkRegistered;
    long partiesNotListed;

    synchronized void event(Thread t, int event, int phase, int count, String site) {
        if (event == dev.vigil.bootstrap.SyncListener.PHASER_BULK_REGISTER) {
            bulkRegistered += count;
            return;
        }
        PartyThread p = party(t, site);
        if (p == null) {
            return;
        }
        p.site = site;
        switch (event) {
            case dev.vigil.bootstrap.SyncListener.PHASER_REGISTER -> {
                p.deregistered = false;
                p.lastArrived = Math.min(p.lastArrived, phase - 1);
            }
            case dev.vigil.bootstrap.SyncListener.PHASER_ARRIVE -> p.lastArrived = Math.max(p.lastArrived, phase);
            default -> {
                p.lastArrived = Math.max(p.lastArrived, phase);
                p.deregistered = true;
            }
        }
    }

    private PartyThread party(Thread t, String site) {
        long id = ThreadFacts.id(t);
        for (PartyThread p : parties) {
            if (p.threadId == id) {
                return p;
            }
        }
        if (parties.size() == MAX_PARTIES) {
            partiesNotListed++;
            return null;
        }
        PartyThread p = new PartyThread(t, site);
        parties.add(p);
        return p;
    }

    /** Known party threads, still registered, that have not arrived at {@code phase}. */
    synchronized List<PartyThread> notArrived(int phase) {
        List<PartyThread> out = new ArrayList<>();
        for (PartyThread p : parties) {
            if (!p.deregistered && p.lastArrived < phase) {
                out.add(p);
            }
        }
        return out;
    }
}
