package dev.vigil.bootstrap;

/**
 * Receives synchronizer events from {@link SyncHooks}: semaphore permits taken and given back,
 * latch count-downs, and the start and end of every blocking wait on a semaphore, latch, barrier,
 * phaser, condition, monitor ({@code Object.wait}, and who notifies) or {@code LockSupport.park}
 * at an application call site. Implemented by the
 * agent; declared here so that bootstrap code can call it. JDK types only.
 */
public interface SyncListener {

    int SEMAPHORE = 0;
    int LATCH = 1;
    int BARRIER = 2;
    int PHASER = 3;
    int CONDITION = 4;
    int PARK = 5;
    /** An untimed {@code Object.wait} at an instrumented call site. */
    int MONITOR = 6;
    /** A timed {@code Object.wait}: never a stuck wait (it ends by itself), but a wait a deadlock can go through. */
    int MONITOR_TIMED = 7;

    /**
     * {@code permits} of {@code semaphore} were acquired by the calling thread at {@code site};
     * {@code slot} is the calling thread's (its {@link ThreadSlot#permits} field is the listener's).
     * Called <em>outside</em> the re-entry guard (as is {@link #released}): anything beyond
     * touching {@code slot} must run between {@link VigilHooks#enter()} and {@link VigilHooks#leave()}.
     */
    void acquired(ThreadSlot slot, Object semaphore, int permits, String site);

    /** The calling thread released {@code permits} of {@code semaphore} at {@code site}. */
    void released(ThreadSlot slot, Object semaphore, int permits, String site);

    /** {@code new Semaphore(...)} just returned at {@code site}: its permits now are its limit. */
    default void semaphoreCreated(Object semaphore, String site) {
    }

    /** {@code new CountDownLatch(n)} or {@code new Phaser(...)} just returned at {@code site}, on the calling thread. */
    default void synchronizerCreated(Object synchronizer, String site) {
    }

    /** The calling thread registered one party ({@code register()}) with a phaser; {@code phase} is the phase then. */
    int PHASER_REGISTER = 0;
    /** The calling thread registered {@code parties} parties at once ({@code bulkRegister(n)}): for other threads, usually. */
    int PHASER_BULK_REGISTER = 1;
    /** The calling thread arrived at {@code phase} ({@code arrive}, {@code arriveAndAwaitAdvance}). */
    int PHASER_ARRIVE = 2;
    /** The calling thread arrived at {@code phase} and deregistered ({@code arriveAndDeregister}). */
    int PHASER_DEREGISTER = 3;

    /** A phaser event (one of the {@code PHASER_*} constants) of the calling thread at {@code site}. */
    default void phaserEvent(Object phaser, int event, int phase, int parties, String site) {
    }

    /** The calling thread counted {@code latch} down at {@code site}. */
    void countedDown(Object latch, String site);

    /**
     * The calling thread is about to block on {@code on} ({@code primitive} is one of the constants
     * above) at {@code site}; returns a token handed back to {@link #waitEnded}, or null.
     */
    Object waitStarting(Object on, int primitive, String site);

    /** The wait {@code token} returned (normally, by timeout or by an exception). */
    void waitEnded(Object token);

    /** The calling thread called {@code notify} or {@code notifyAll} on {@code monitor} at {@code site} (an instrumented call). */
    default void notified(Object monitor, String site) {
    }
}
