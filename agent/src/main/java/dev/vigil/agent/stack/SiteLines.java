package dev.vigil.agent.stack;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The first line of each instrumented method, recorded at transform time: the line a
 * {@code synchronized} method's site points at (its monitor is taken on entry, before any line runs).
 */
public final class SiteLines {

    private static final int MAX = 200_000;
    private static final ConcurrentHashMap<String, Integer> FIRST_LINE = new ConcurrentHashMap<>();

    private SiteLines() {
    }

    public static void record(String className, String method, String descriptor, int line) {
        if (FIRST_LINE.size() < MAX) {
            FIRST_LINE.putIfAbsent(className + '|' + method + '|' + descriptor, line);
        }
    }

    /** The first line of the method, or 0 when unknown. */
    public static int firstLine(String className, String method, String descriptor) {
        Integer l = FIRST_LINE.get(className + '|' + method + '|' + descriptor);
        return l == null ? 0 : l;
    }
}
