package dev.vigil.agent.host;

import dev.vigil.bootstrap.InterceptedClasses;
import dev.vigil.bootstrap.JdkFields;
import java.util.concurrent.Semaphore;

/**
 * A semaphore's permits and waiters as the JDK defines them, without an application subclass's
 * override of {@code availablePermits} (issue 15): for a subclass the JDK's synchronizer inside it is read ({@link JdkFields}); if that
 * could not be bound at start-up, the method is called only when it is the JDK's own, else the
 * figure is unknown (-1, or no waiters).
 */
public final class SemaphoreFacts {

    private static final JdkMethod AVAILABLE = new JdkMethod("availablePermits");

    private SemaphoreFacts() {
    }

    /** Permits free now; -1 when unknown. */
    public static int available(Semaphore s) {
        if (s.getClass() == Semaphore.class && !InterceptedClasses.has(Semaphore.class)) {
            return s.availablePermits();
        }
        if (JdkFields.semaphoresBound()) {
            // A mock has no synchronizer (its constructor never ran): no permits to tell.
            return JdkFields.semaphoreSync(s) == null ? -1 : JdkFields.semaphorePermits(s);
        }
        return AVAILABLE.isJdkCode(s) ? s.availablePermits() : -1;
    }

    /**
     * Threads waiting for a permit (an estimate, as the JDK's): {@code getQueueLength} is final,
     * but a mock's final methods are intercepted too, so it is read from the synchronizer; -1 when
     * there is none (a mock) or it cannot be read.
     */
    public static int queueLength(Semaphore s) {
        if (s.getClass() == Semaphore.class && !InterceptedClasses.has(Semaphore.class)) {
            return s.getQueueLength();
        }
        java.util.concurrent.locks.AbstractQueuedSynchronizer sync = JdkFields.semaphoresBound() ? JdkFields.semaphoreSync(s) : null;
        return sync == null ? -1 : sync.getQueueLength();
    }

    /** Whether a thread waits for a permit, as {@link #queueLength}; false when unknown. */
    public static boolean hasQueuedThreads(Semaphore s) {
        if (s.getClass() == Semaphore.class && !InterceptedClasses.has(Semaphore.class)) {
            return s.hasQueuedThreads();
        }
        java.util.concurrent.locks.AbstractQueuedSynchronizer sync = JdkFields.semaphoresBound() ? JdkFields.semaphoreSync(s) : null;
        return sync != null && sync.hasQueuedThreads();
    }
}
