package dev.vigil.agent.host;

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
        if (s.getClass() == Semaphore.class) {
            return s.availablePermits();
        }
        if (JdkFields.semaphoresBound()) {
            return JdkFields.semaphorePermits(s);
        }
        return AVAILABLE.isJdkCode(s) ? s.availablePermits() : -1;
    }

    /** Threads waiting for a permit (an estimate, as the JDK's): {@code getQueueLength} is final. */
    public static int queueLength(Semaphore s) {
        return s.getQueueLength();
    }

    /** Whether a thread waits for a permit: {@code hasQueuedThreads} is final. */
    public static boolean hasQueuedThreads(Semaphore s) {
        return s.hasQueuedThreads();
    }
}
