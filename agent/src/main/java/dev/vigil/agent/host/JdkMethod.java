package dev.vigil.agent.host;

import dev.vigil.bootstrap.InterceptedClasses;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

/**
 * One public method of a JDK type that Vigil may want to call on an application object (a
 * queue's {@code size()}, a thread's {@code getState()}), and the answer, per class, to "would
 * this call run JDK code only?". A subclass from the application may override the method to
 * print, lock, block or throw, and the agent must never run application code the program did
 * not run itself (issue 15): callers ask {@link #isJdkCode(Object)} first and, when it says no,
 * read the state another way or leave the figure out.
 *
 * <p>The answer is cached per class ({@link ClassValue}: nothing keeps a class loader alive).
 * Finding it reads the class's declared methods by reflection, which loads their signature
 * types but never runs application code; a class whose signatures cannot be loaded counts as
 * not JDK code.
 */
public final class JdkMethod {

    private final String name;
    private final Class<?>[] parameters;
    /** Per class: the JDK class whose implementation a call dispatches to, or {@link #NOT_JDK}. */
    private final ClassValue<Class<?>> jdk = new ClassValue<>() {
        @Override
        protected Class<?> computeValue(Class<?> type) {
            return implementedByJdk(type);
        }
    };

    private static final Class<?> NOT_JDK = Void.class;

    public JdkMethod(String name, Class<?>... parameters) {
        this.name = name;
        this.parameters = parameters.clone();
    }

    /**
     * Whether {@code target.name(parameters)} dispatches to a method declared by a JDK class, and
     * that class was not retransformed by another agent since Vigil started (Mockito's inline mock
     * maker does that to the class it mocks, whose methods then run the mock's code for a mock or
     * a spy: {@link InterceptedClasses}). Asked each time: a class may be retransformed later.
     */
    public boolean isJdkCode(Object target) {
        if (target == null) {
            return false;
        }
        Class<?> impl = jdk.get(target.getClass());
        return impl != NOT_JDK && !InterceptedClasses.has(impl);
    }

    private Class<?> implementedByJdk(Class<?> type) {
        try {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                Method m = declared(c);
                if (m != null && !Modifier.isAbstract(m.getModifiers())) {
                    return isJdkClass(c) ? c : NOT_JDK; // the implementation virtual dispatch reaches
                }
            }
            return NOT_JDK; // only a default method of some interface implements it: not known to be the JDK's
        } catch (RuntimeException | LinkageError e) {
            return NOT_JDK;
        }
    }

    private Method declared(Class<?> c) {
        for (Method m : c.getDeclaredMethods()) {
            int mod = m.getModifiers();
            if (m.getName().equals(name) && !Modifier.isPrivate(mod) && !Modifier.isStatic(mod)
                    && Arrays.equals(m.getParameterTypes(), parameters)) {
                return m;
            }
        }
        return null;
    }

    /** A class of the JDK: defined by the bootstrap or the platform loader. */
    public static boolean isJdkClass(Class<?> c) {
        ClassLoader l = c.getClassLoader();
        return l == null || l == ClassLoader.getPlatformClassLoader();
    }
}
