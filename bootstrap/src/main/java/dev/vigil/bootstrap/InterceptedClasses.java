package dev.vigil.bootstrap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code java.util.concurrent} classes (and {@code java.lang.Thread}) that another agent has
 * retransformed since Vigil was installed. A mocking library's inline mock maker (Mockito 5's
 * default) does that to the mocked class itself: a mock of {@code ReentrantLock} is an instance of
 * {@code ReentrantLock} whose methods are intercepted, counted and verified, and whose fields are
 * null (its constructor never ran). On an instance of such a class Vigil can no longer tell that a
 * method is the JDK's, so the stand-ins make only the call the program made, never a try first or
 * a look (issue 15 part 4): an extra {@code tryAcquire} would be an interaction the test verifies,
 * and under {@code verify(lock)} it would be the verified call.
 *
 * <p>A structural fact, not a name: nothing here knows which library retransformed what, or why.
 * Real instances of a retransformed class then take the same path as an application subclass:
 * the program's own call only, recorded by what it did to the JDK's synchronizer.
 *
 * <p><b>Bootstrap class: JDK types only.</b> {@link #has} is on the lock hot path: one volatile
 * load while no class has been retransformed by anyone else (always, in a program without an
 * inline mock maker).
 */
public final class InterceptedClasses {

    private InterceptedClasses() {
    }

    private static volatile boolean any;

    private static final Set<Class<?>> CLASSES = ConcurrentHashMap.newKeySet();

    /** Whether {@code c} was retransformed by another agent since Vigil started. */
    public static boolean has(Class<?> c) {
        return any && CLASSES.contains(c);
    }

    /** Whether any class was (an agent's report says so; tests look at it). */
    public static boolean any() {
        return any;
    }

    /**
     * Called by the agent's transformer when a class is retransformed that Vigil did not ask for:
     * {@code binaryName} as {@code java.util.concurrent.Semaphore}. Only the classes whose
     * methods Vigil might call on an application's object are kept.
     */
    public static void retransformed(Class<?> c, String binaryName) {
        if (c != null && (binaryName.startsWith("java.util.concurrent.") || binaryName.equals("java.lang.Thread"))) {
            CLASSES.add(c);
            any = true;
        }
    }
}
