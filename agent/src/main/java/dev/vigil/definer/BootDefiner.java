package dev.vigil.definer;

import java.lang.reflect.Method;

/**
 * Defines classes in the bootstrap loader. Loaded only inside a module of its own ({@code
 * dev.vigil.definer}, in a layer the agent makes at start-up), which alone is given deep access to
 * {@code java.lang}: the application's unnamed module is left exactly as it was. Uses nothing but
 * {@code java.base}.
 */
public final class BootDefiner {

    private final Method defineClass1;

    public BootDefiner() throws ReflectiveOperationException {
        defineClass1 = ClassLoader.class.getDeclaredMethod("defineClass1", ClassLoader.class, String.class,
                byte[].class, int.class, int.class, java.security.ProtectionDomain.class, String.class);
        defineClass1.setAccessible(true);
    }

    /** Defines {@code bytes} as {@code name} ({@code a.b.C}) in the bootstrap loader. */
    public Class<?> define(String name, byte[] bytes) throws ReflectiveOperationException {
        return (Class<?>) defineClass1.invoke(null, null, name, bytes, 0, bytes.length, null, null);
    }
}
