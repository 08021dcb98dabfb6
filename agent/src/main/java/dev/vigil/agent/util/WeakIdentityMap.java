package dev.vigil.agent.util;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that holds its keys weakly: Vigil never keeps an
 * executor, task or future alive. Entries whose key was collected are returned once by
 * {@link #drainCollected()}, so a caller can act on "became unreachable".
 */
public final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();

    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> q) {
            super(referent, q);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            if (o instanceof Key k) {
                Object mine = get();
                return mine != null && mine == k.get();
            }
            if (o instanceof Lookup l) {
                Object mine = get();
                return mine != null && mine == l.referent;
            }
            return false;
        }
    }

    /** A strong, short-lived key for lookups, so that a lookup never enqueues anything. */
    private static final class Lookup {
        private final Object referent;
        private final int hash;

        Lookup(Object referent) {
            this.referent = referent;
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.get() == referent;
        }
    }

    public V get(Object key) {
        return map.get(new Lookup(key));
    }

    public V putIfAbsent(Object key, V value) {
        return map.putIfAbsent(new Key(key, queue), value);
    }

    public V put(Object key, V value) {
        return map.put(new Key(key, queue), value);
    }

    public V remove(Object key) {
        return map.remove(new Lookup(key));
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** Live entries: key (strongly, for the caller's use now) and value. */
    public List<Map.Entry<Object, V>> entries() {
        List<Map.Entry<Object, V>> out = new ArrayList<>(map.size());
        for (Map.Entry<Key, V> e : map.entrySet()) {
            Object k = e.getKey().get();
            if (k != null) {
                out.add(Map.entry(k, e.getValue()));
            }
        }
        return out;
    }

    /**
     * Whether there is room for one more entry under {@code cap}; when full, the entries of keys the
     * GC has collected and enqueued are dropped first ({@link #expunge}).
     */
    public boolean hasRoom(int cap) {
        if (map.size() < cap) {
            return true;
        }
        expunge();
        return map.size() < cap;
    }

    /**
     * Removes the entries whose key the GC has collected and enqueued, without scanning the map:
     * cheap enough for a caller that only needs the room. (Not for callers that act on collection:
     * see {@link #drainCollected()}.)
     */
    public void expunge() {
        java.lang.ref.Reference<?> r;
        while ((r = queue.poll()) != null) {
            map.remove(r);
        }
    }

    /**
     * Values whose key has been collected since the last call; they are removed from the map. A
     * reference is cleared by the GC before the Reference Handler thread enqueues it, so cleared
     * keys not yet in the queue are swept too: a key collected just now is never missed.
     */
    public List<V> drainCollected() {
        List<V> out = new ArrayList<>();
        java.lang.ref.Reference<?> r;
        while ((r = queue.poll()) != null) {
            V v = map.remove(r);
            if (v != null) {
                out.add(v);
            }
        }
        for (Map.Entry<Key, V> e : map.entrySet()) {
            if (e.getKey().get() == null && map.remove(e.getKey(), e.getValue())) {
                out.add(e.getValue());
            }
        }
        return out;
    }
}
