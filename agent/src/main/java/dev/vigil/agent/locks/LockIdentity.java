package dev.vigil.agent.locks;

import dev.vigil.bootstrap.LockListener;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.AbstractOwnableSynchronizer;
import java.util.concurrent.locks.AbstractQueuedLongSynchronizer;
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

    /** Whether {@link Handles} may be used (the package was opened and the handles bound). */
    private final boolean opened;

    private LockIdentity(boolean opened) {
        this.opened = opened;
    }

    /**
     * The field getters, in static finals: C2 treats them as constants and compiles them down to
     * a field load (an instance field would cost a real call per lock event on the hot path).
     * Initialised on first use, which {@link #open} makes sure is after the package was opened to
     * the agent. The three read on every lock event are {@link VarHandle}s: a getter method
     * handle also casts the value it reads to the field's type, which cost ~2.5 ns per
     * lock/unlock pair on JDK 25 (JMH, 4 forks: 20.8 -> 18.3 ns without the mapping at all).
     */
    private static final class Handles {
        static final VarHandle REENTRANT_SYNC;
        static final VarHandle READ_SYNC;
        static final VarHandle WRITE_SYNC;
        static final MethodHandle CONDITION_OWNER;
        static final MethodHandle EXCLUSIVE_OWNER;
        static final MethodHandle READ_WRITE_SYNC;
        static final MethodHandle STATE;
        static final MethodHandle LONG_STATE;
        /** The synchronizers' own (final, JDK) hold counters: {@link #holds}. */
        static final MethodHandle REENTRANT_HOLDS;
        static final MethodHandle READ_HOLDS;
        static final MethodHandle WRITE_HOLDS;
        static final Throwable FAILURE;

        static {
            VarHandle reentrant = null;
            VarHandle read = null;
            VarHandle write = null;
            MethodHandle condition = null;
            MethodHandle owner = null;
            MethodHandle readWrite = null;
            MethodHandle state = null;
            MethodHandle longState = null;
            MethodHandle reentrantHolds = null;
            MethodHandle readHolds = null;
            MethodHandle writeHolds = null;
            Throwable failure = null;
            try {
                reentrant = field(ReentrantLock.class, "sync");
                read = field(ReentrantReadWriteLock.ReadLock.class, "sync");
                write = field(ReentrantReadWriteLock.WriteLock.class, "sync");
                condition = getter(Class.forName("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"),
                        "this$0");
                owner = getter(AbstractOwnableSynchronizer.class, "exclusiveOwnerThread");
                readWrite = getter(ReentrantReadWriteLock.class, "sync");
                state = stateGetter(AbstractQueuedSynchronizer.class, int.class);
                // JDK 22+: a ReentrantReadWriteLock's sync is an AbstractQueuedLongSynchronizer.
                longState = stateGetter(AbstractQueuedLongSynchronizer.class, long.class);
                reentrantHolds = counter("java.util.concurrent.locks.ReentrantLock$Sync", "getHoldCount");
                readHolds = counter("java.util.concurrent.locks.ReentrantReadWriteLock$Sync", "getReadHoldCount");
                writeHolds = counter("java.util.concurrent.locks.ReentrantReadWriteLock$Sync", "getWriteHoldCount");
            } catch (Throwable t) {
                failure = t;
            }
            boolean ok = failure == null;
            REENTRANT_SYNC = ok ? reentrant : null;
            READ_SYNC = ok ? read : null;
            WRITE_SYNC = ok ? write : null;
            CONDITION_OWNER = ok ? condition : null;
            EXCLUSIVE_OWNER = ok ? owner : null;
            READ_WRITE_SYNC = ok ? readWrite : null;
            STATE = ok ? state : null;
            LONG_STATE = ok ? longState : null;
            REENTRANT_HOLDS = ok ? reentrantHolds : null;
            READ_HOLDS = ok ? readHolds : null;
            WRITE_HOLDS = ok ? writeHolds : null;
            FAILURE = failure;
        }
    }

    /** Without access to the JDK's private fields: every lock object is its own node. */
    public static LockIdentity plain() {
        return new LockIdentity(false);
    }

    /** Opens {@code java.util.concurrent.locks} to the agent and binds the field getters. */
    public static LockIdentity open(Instrumentation inst) throws ReflectiveOperationException {
        Module base = Object.class.getModule();
        Module agent = LockIdentity.class.getModule();
        if (inst != null) {
            inst.redefineModule(base, Set.of(), Map.of(), Map.of("java.util.concurrent.locks", Set.of(agent)),
                    Set.of(), Map.of());
        }
        if (Handles.FAILURE != null) {
            throw new ReflectiveOperationException("binding the fields of java.util.concurrent.locks", Handles.FAILURE);
        }
        return new LockIdentity(true);
    }

    private static MethodHandle stateGetter(Class<?> owner, Class<?> type) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField("state");
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).unreflectGetter(f)
                .asType(java.lang.invoke.MethodType.methodType(type, Object.class));
    }

    /** A synchronizer's {@code final int name()}, as {@code (Object) -> int}. */
    private static MethodHandle counter(String owner, String name) throws ReflectiveOperationException {
        Class<?> c = Class.forName(owner);
        return MethodHandles.privateLookupIn(c, MethodHandles.lookup())
                .findVirtual(c, name, java.lang.invoke.MethodType.methodType(int.class))
                .asType(java.lang.invoke.MethodType.methodType(int.class, Object.class));
    }

    private static VarHandle field(Class<?> owner, String field) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup()).findVarHandle(owner, field, f.getType());
    }

    private static MethodHandle getter(Class<?> owner, String field) throws ReflectiveOperationException {
        Field f = owner.getDeclaredField(field);
        MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
        return lookup.unreflectGetter(f).asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
    }

    /** The node for {@code lock}. */
    public Object of(Object lock) throws Throwable {
        if (opened) {
            if (lock instanceof ReentrantLock) {
                return (Object) Handles.REENTRANT_SYNC.get(lock);
            }
            if (lock instanceof ReentrantReadWriteLock.ReadLock) {
                return (Object) Handles.READ_SYNC.get(lock);
            }
            if (lock instanceof ReentrantReadWriteLock.WriteLock) {
                return (Object) Handles.WRITE_SYNC.get(lock);
            }
        }
        return lock;
    }

    /** The node of a lock just created: a {@code ReentrantReadWriteLock}'s is its synchronizer too. */
    public Object ofCreated(Object lock) throws Throwable {
        if (opened && lock instanceof ReentrantReadWriteLock) {
            return (Object) Handles.READ_WRITE_SYNC.invokeExact(lock);
        }
        return of(lock);
    }

    /**
     * The thread that holds {@code node} exclusively, if it is a {@code java.util.concurrent}
     * synchronizer and the fields could be read; else null (a monitor's owner is not readable).
     */
    public Thread exclusiveOwner(Object node) throws Throwable {
        if (opened && node instanceof AbstractOwnableSynchronizer) {
            return (Thread) (Object) Handles.EXCLUSIVE_OWNER.invokeExact(node);
        }
        return null;
    }

    /**
     * Whether {@link #exclusiveOwner} is the whole truth about who holds {@code node}: a
     * {@code ReentrantLock}'s synchronizer, which only an owner can hold (a read/write lock's
     * readers have no owner; a monitor's owner is not readable). Then no owner means free now.
     */
    public boolean ownerIsWholeTruth(Object node) {
        return opened && REENTRANT_SYNC_CLASS != null && REENTRANT_SYNC_CLASS.isInstance(node);
    }

    private static final Class<?> REENTRANT_SYNC_CLASS = reentrantSyncClass();

    private static Class<?> reentrantSyncClass() {
        try {
            return Class.forName("java.util.concurrent.locks.ReentrantLock$Sync", false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Whether the calling thread's {@code lock()} on a read or write view of a
     * {@code ReentrantReadWriteLock} would block now, by the lock's state (racy): a write lock
     * taken by another thread blocks both views; read holds block the write view (the calling
     * thread's own read holds too: a read-to-write upgrade waits for ever). False for other locks.
     */
    public boolean looksTaken(Object lock) throws Throwable {
        if (!opened) {
            return false;
        }
        boolean write = lock instanceof ReentrantReadWriteLock.WriteLock;
        if (!write && !(lock instanceof ReentrantReadWriteLock.ReadLock)) {
            return false;
        }
        Object sync = write ? (Object) Handles.WRITE_SYNC.get(lock) : (Object) Handles.READ_SYNC.get(lock);
        long state;
        long exclusive;
        if (sync instanceof AbstractQueuedLongSynchronizer) {
            state = (long) Handles.LONG_STATE.invokeExact(sync); // 32 bits of write holds
            exclusive = state & 0xFFFF_FFFFL;
        } else {
            int s = (int) Handles.STATE.invokeExact(sync); // 16 bits of write holds
            state = s;
            exclusive = s & 0xFFFF;
        }
        if (state == 0) {
            return false;
        }
        if (exclusive != 0 && (Thread) (Object) Handles.EXCLUSIVE_OWNER.invokeExact(sync) == Thread.currentThread()) {
            return false; // re-entrant write, or a read under one's own write lock: never blocks
        }
        return write || exclusive != 0;
    }

    /**
     * How many holds of {@code lock} the calling thread has, by the JDK's synchronizer inside it
     * (its own final counters: never a method of the lock object, which may be a mock's or a
     * subclass's); {@link LockListener#NO_SYNCHRONIZER} for a {@code ReentrantLock} or a
     * read/write view without one (a mock: its constructor never ran);
     * {@link LockListener#HOLDS_UNKNOWN} for any other lock, or without access to the fields.
     */
    public int holds(Object lock) throws Throwable {
        if (!opened) {
            return LockListener.HOLDS_UNKNOWN;
        }
        MethodHandle counter;
        Object sync;
        if (lock instanceof ReentrantLock) {
            sync = Handles.REENTRANT_SYNC.get(lock);
            counter = Handles.REENTRANT_HOLDS;
        } else if (lock instanceof ReentrantReadWriteLock.WriteLock) {
            sync = Handles.WRITE_SYNC.get(lock);
            counter = Handles.WRITE_HOLDS;
        } else if (lock instanceof ReentrantReadWriteLock.ReadLock) {
            sync = Handles.READ_SYNC.get(lock);
            counter = Handles.READ_HOLDS;
        } else {
            return LockListener.HOLDS_UNKNOWN;
        }
        return sync == null ? LockListener.NO_SYNCHRONIZER : (int) counter.invokeExact(sync);
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
        if (opened && monitorOrCondition instanceof AbstractQueuedSynchronizer.ConditionObject) {
            return (Object) Handles.CONDITION_OWNER.invokeExact(monitorOrCondition);
        }
        return null;
    }
}
