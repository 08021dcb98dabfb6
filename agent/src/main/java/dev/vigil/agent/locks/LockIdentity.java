package dev.vigil.agent.locks;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What a lock <em>is</em> for the graph. A {@code ReentrantLock}, the read and the write lock of
 * one {@code ReentrantReadWriteLock}, and their {@code Condition}s all come down to their
 * synchronizer (the {@code sync} field): the read and write views of one lock are one node in two
 * modes, a condition's wait releases the lock it belongs to, and the synchronizer is what
 * {@code ThreadMXBean} names as the owned lock in a deadlock. Monitors and other locks are themselves.
 *
 * <p>The private fields are read through method handles after {@code java.util.concurrent.locks}
 * is opened to the agent (with {@link Instrumentation#redefineModule}); if that fails, each lock
 * object is its own node and conditions are not followed (said in the report's error samples).
 */
public final class LockIdentity {

    private final MethodHandle reentrantSync;
    private final MethodHandle readSync;
    private final MethodHandle writeSync;
    private final MethodHandle conditionOwner;

    private LockIdentity(MethodHandle reentrantSync, MethodHandle readSync, MethodHandle writeSync,
                         MethodHandle conditionOwner) {
        this.reentrantSync = reentrantSync;
        this.readSync = readSync;
        this.writeSync = writeSync;
        this.conditionOwner = conditionOwner;
    }

    /** Without access to the JDK's private fields: every lock object is its own node. */
    public static LockIdentity plain() {
        return new LockIdentity(null, null, null, null);
    }

    /** Opens {@code java.util.concurrent.locks} to the agent and binds the field getters. */
    public static LockIdentity open(Instrumentation inst) throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        Module agent = LockIdentity.class.getModule();
        if (inst != null) {
            inst.redefineModule(base, Set.of(), Map.of(), Map.of("java.util.concurrent.locks", Set.of(agent)),
                    Set.of(), Map.of());
        }
        return new LockIdentity(
                getter(ReentrantLock.class, "sync"),
                getter(ReentrantReadWriteLock.ReadLock.class, "sync"),
                getter(ReentrantReadWriteLock.WriteLock.class, "sync"),
                getter(Class.forName("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"), "this$0"));
    }

    private static MethodHandle getter(Class<?> owner, String field) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        return lookup.unreflectGetter(f).asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
    }

    /** The node for {@code lock}. */
    public Object of(Object lock) throws Throwable {
        if (reentrantSync != null) {
            if (lock instanceof ReentrantLock) {
                return reentrantSync.invokeExact(lock);
            }
            if (lock instanceof ReentrantReadWriteLock.ReadLock) {
                return readSync.invokeExact(lock);
            }
            if (lock instanceof ReentrantReadWriteLock.WriteLock) {
                return writeSync.invokeExact(lock);
            }
        }
        return lock;
    }

    /** {@link LockOrderGraph#READ} for a read lock, else exclusive. */
    public static int mode(Object lock) {
        return lock instanceof ReentrantReadWriteLock.ReadLock ? LockOrderGraph.READ : LockOrderGraph.EXCLUSIVE;
    }

    /** The node a wait releases: the monitor itself, or a condition's lock; null when unknown. */
    public Object ofWait(Object monitorOrCondition) throws Throwable {
        if (!(monitorOrCondition instanceof Condition)) {
            return monitorOrCondition;
        }
        if (conditionOwner != null && monitorOrCondition instanceof AbstractQueuedSynchronizer.ConditionObject) {
            return conditionOwner.invokeExact(monitorOrCondition);
        }
        return null;
    }
}
