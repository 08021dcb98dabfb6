package dev.vigil.agent.locks;

import dev.vigil.agent.stack.PackageFilter;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.Lock;

/** Names locks the way a user knows them, and groups monitors of application classes into lock classes. */
public final class LockLabels implements LockDescriber {

    private final PackageFilter packages;

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

    @Override
    public String classKey(Object lock) {
        if (lock instanceof Class<?> c) {
            return packages.isApplication(c.getName()) ? "class " + c.getName() : null;
        }
        return classKeys.get(lock.getClass());
    }
}
