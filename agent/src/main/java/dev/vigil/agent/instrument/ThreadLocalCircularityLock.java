package dev.vigil.agent.instrument;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Byte Buddy's guard against transforming a class while a transformation runs on the same thread,
 * kept in a thread-local flag. Byte Buddy's {@code CircularityLock.Default} keys a
 * {@code ConcurrentHashMap} by {@code Thread}: every class load then calls the loading thread's
 * {@code hashCode()}, which an application's {@code Thread} subclass may override (a printing
 * override died with {@code ClassCircularityError}; issue 15). A {@code ThreadLocal} is found by
 * the thread's identity and never runs application code.
 */
final class ThreadLocalCircularityLock extends AgentBuilder.CircularityLock.WithInnerClassLoadingLock {

    private static final ThreadLocal<boolean[]> HELD = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    ThreadLocalCircularityLock() {
        super(DEFAULT_SIZE);
    }

    @Override
    protected boolean doAcquire() {
        boolean[] held = HELD.get();
        if (held[0]) {
            return false;
        }
        held[0] = true;
        return true;
    }

    @Override
    public void release() {
        HELD.get()[0] = false;
    }
}
