package dev.vigil.agent.locks;

import dev.vigil.agent.stack.SiteRef;

import dev.vigil.agent.util.WeakIdentityMap;
import dev.vigil.agent.stack.PackageFilter;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Lock;

/** Names locks the way a user knows them, and groups monitors of application classes into lock classes. */
public final class LockLabels implements LockDescriber {

    private final PackageFilter packages;

    /** Allocation site of each application-created j.u.c lock (by synchronizer, weakly): its lock class. */
    private final WeakIdentityMap<String> creationSites = new WeakIdentityMap<>();
    private final AtomicLong creationSitesDropped = new AtomicLong();
    private final AtomicLong overCap = new AtomicLong();
    static final int MAX_CREATION_SITES = 100_000;

    /** Per lock class, computed once: a new edge between fresh locks builds no strings. */
    private final ClassValue<String> labels = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            if (AbstractQueuedSynchronizer.class.isAssignableFrom(type) || Lock.class.isAssignableFrom(type)) {
                return ofClassName(type.getName());
            }
            return "monitor of " + type.getName();
        }
    };

    private final ClassValue<String> classKeys = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return packages.isApplication(type.getName()) ? type.getName() : null;
        }
    };

    /** The monitor of a class: "class X" for an application class, computed once per class. */
    private final ClassValue<String> monitorClassKeys = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return packages.isApplication(type.getName()) ? "class " + type.getName() : null;
        }
    };

    /**
     * A j.u.c lock class by creation site (a constant string; one site creates one class), built
     * once: class keys are read for every held lock of every new edge. Capped; past the cap they
     * are built each time.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, String> aqsClassKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_AQS_CLASS_KEYS = 10_000;

    private String aqsClassKey(String site, Class<?> type) {
        String key = aqsClassKeys.get(site);
        if (key == null) {
            key = labels.get(type) + " created at " + SiteRef.readable(site);
            if (aqsClassKeys.size() < MAX_AQS_CLASS_KEYS) {
                aqsClassKeys.putIfAbsent(site, key);
            }
        }
        return key;
    }

    public LockLabels(PackageFilter packages) {
        this.packages = packages;
    }

    @Override
    public String label(Object lock) {
        if (lock instanceof Class<?> c) {
            return "monitor of class " + c.getName();
        }
        return labels.get(lock.getClass());
    }

    /**
     * A label from a class name only (what {@code ThreadMXBean} reports): a synchronizer is named
     * after the lock that owns it ({@code ReentrantLock$NonfairSync} is a {@code ReentrantLock}).
     */
    public static String ofClassName(String className) {
        if (className.startsWith("java.util.concurrent.locks.")) {
            String simple = className.substring("java.util.concurrent.locks.".length());
            int dollar = simple.indexOf('$');
            return dollar < 0 ? simple : simple.substring(0, dollar);
        }
        if (className.startsWith("java.util.concurrent.")) {
            return className.substring("java.util.concurrent.".length());
        }
        return "monitor of " + className;
    }

    /** Records that the synchronizer {@code node} belongs to a lock created at {@code site}. */
    public void created(Object node, String site) {
        // The locks collected since are dropped now (a poll of the reference queue, nothing when
        // none was): a service that makes a lock per request kept tens of thousands of dead
        // entries, megabytes, until the cap was reached.
        creationSites.expunge();
        if (creationSites.size() >= MAX_CREATION_SITES) {
            // Full: sweep out collected locks, but only now and then (a sweep walks the whole map).
            if ((overCap.incrementAndGet() & 4095) == 1) {
                creationSites.drainCollected();
            }
            if (creationSites.size() >= MAX_CREATION_SITES) {
                creationSitesDropped.incrementAndGet();
                return;
            }
        }
        creationSites.putIfAbsent(node, site);
    }

    /** Entries held now (for tests). */
    int creationSitesHeld() {
        return creationSites.size();
    }

    /** What was dropped to stay bounded, for {@code agent.truncated}. */
    public Map<String, Long> truncated() {
        return Map.of("lockCreationSitesDropped", creationSitesDropped.get());
    }

    /**
     * The lock class: the class of an application monitor; for a {@code java.util.concurrent}
     * lock created in application code, its allocation site ("the ReentrantLock created at
     * Bank.open:12"); else null (no class, no predicted cycles through it).
     */
    /** A j.u.c lock of known creation folds by that site (the constant string); others by class name. */
    @Override
    public Object foldKey(Object lock) {
        if (lock instanceof AbstractQueuedSynchronizer) {
            String site = creationSites.get(lock);
            if (site != null) {
                return site;
            }
        }
        return LockDescriber.super.foldKey(lock);
    }

    @Override
    public String classKey(Object lock, String site) {
        String key = classKey(lock);
        if (key == null || lock instanceof AbstractQueuedSynchronizer || lock instanceof Class<?>) {
            return key;
        }
        String taker = siteClass(site);
        if (taker == null || taker.equals(lock.getClass().getName())) {
            return key;
        }
        // Superclass names only: Class.getSuperclass and getName are final JDK methods.
        for (Class<?> c = lock.getClass().getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
            if (c.getName().equals(taker)) {
                String declared = classKeys.get(c);
                return declared != null ? declared : key;
            }
        }
        return key;
    }

    /** The class of an application site constant ({@code A|class|..} or {@code M|class|..}), else null. */
    static String siteClass(String site) {
        if (site == null || site.length() < 3 || site.charAt(1) != '|' || (site.charAt(0) != 'A' && site.charAt(0) != 'M')) {
            return null;
        }
        int end = site.indexOf('|', 2);
        return end < 0 ? null : site.substring(2, end);
    }

    @Override
    public String classKey(Object lock) {
        if (lock instanceof AbstractQueuedSynchronizer) {
            String site = creationSites.get(lock);
            return site == null ? null : aqsClassKey(site, lock.getClass());
        }
        if (lock instanceof Class<?> c) {
            return monitorClassKeys.get(c);
        }
        return classKeys.get(lock.getClass());
    }
}
