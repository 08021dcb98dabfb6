package dev.vigil.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Defines the hook classes in the bootstrap loader without touching the bootstrap class path
 * ({@link BootstrapJar} says why). {@code ClassLoader.defineClass1} with no loader is the JVM's own
 * way in; calling it needs deep access to {@code java.lang}, which is given, through {@link
 * Instrumentation#redefineModule}, to one module only: {@code dev.vigil.definer}, made here in a
 * layer of its own, holding one class. The application's modules, its unnamed module included,
 * gain nothing. Classes are defined supertypes first (the bootstrap loader could not find a
 * supertype that is not defined yet).
 */
final class BootDefinition {

    private static final String MODULE = "dev.vigil.definer";
    private static final String DEFINER = MODULE + ".BootDefiner";

    private BootDefinition() {
    }

    /** True when every class of the nested jar {@code resource} is now defined in the bootstrap loader. */
    static boolean defineAll(Instrumentation inst, String resource) {
        try {
            Map<String, byte[]> classes = read(resource);
            if (classes.isEmpty()) {
                return false;
            }
            Object definer = definer(inst);
            java.lang.reflect.Method define = definer.getClass().getMethod("define", String.class, byte[].class);
            for (String name : supertypesFirst(classes)) {
                if (!alreadyDefined(name)) {
                    define.invoke(definer, name, classes.get(name));
                }
            }
            for (String name : classes.keySet()) {
                Class.forName(name, false, null);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError | IOException e) {
            return false; // appended instead
        }
    }

    private static boolean alreadyDefined(String name) {
        try {
            Class.forName(name, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private static Map<String, byte[]> read(String resource) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (InputStream in = BootDefinition.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the agent jar");
            }
            try (JarInputStream jar = new JarInputStream(in)) {
                for (JarEntry e; (e = jar.getNextJarEntry()) != null; ) {
                    String n = e.getName();
                    if (n.endsWith(".class") && !n.endsWith("module-info.class")) {
                        classes.put(n.substring(0, n.length() - ".class".length()).replace('/', '.'),
                                jar.readAllBytes());
                    }
                }
            }
        }
        return classes;
    }

    /** The names in an order where every supertype inside the set comes before its subtypes. */
    static List<String> supertypesFirst(Map<String, byte[]> classes) {
        Map<String, List<String>> supers = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            ClassReader r = new ClassReader(c.getValue());
            List<String> s = new ArrayList<>();
            if (r.getSuperName() != null) {
                s.add(r.getSuperName().replace('/', '.'));
            }
            for (String i : r.getInterfaces()) {
                s.add(i.replace('/', '.'));
            }
            supers.put(c.getKey(), s);
        }
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String name : supers.keySet()) {
            visit(name, supers, done, order, new HashSet<>());
        }
        return order;
    }

    private static void visit(String name, Map<String, List<String>> supers, Set<String> done, List<String> order,
                              Set<String> path) {
        if (done.contains(name) || !supers.containsKey(name) || !path.add(name)) {
            return;
        }
        for (String s : supers.get(name)) {
            visit(s, supers, done, order, path);
        }
        done.add(name);
        order.add(name);
    }

    /** A {@code BootDefiner} from a module of its own, which alone may open {@code java.lang}. */
    private static Object definer(Instrumentation inst) throws ReflectiveOperationException, IOException {
        String path = DEFINER.replace('.', '/') + ".class";
        byte[] bytes;
        try (InputStream in = BootDefinition.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IOException(path + " is missing from the agent jar");
            }
            bytes = in.readAllBytes();
        }
        ModuleDescriptor descriptor = ModuleDescriptor.newModule(MODULE).packages(Set.of(MODULE)).exports(MODULE)
                .build();
        ModuleReference reference = new ModuleReference(descriptor, null) {
            @Override
            public ModuleReader open() {
                return new ModuleReader() {
                    @Override
                    public Optional<URI> find(String name) {
                        return Optional.empty();
                    }

                    @Override
                    public Optional<InputStream> open(String name) {
                        return name.equals(path) ? Optional.of(new java.io.ByteArrayInputStream(bytes))
                                : Optional.empty();
                    }

                    @Override
                    public Optional<ByteBuffer> read(String name) {
                        return name.equals(path) ? Optional.of(ByteBuffer.wrap(bytes)) : Optional.empty();
                    }

                    @Override
                    public Stream<String> list() {
                        return Stream.of(path);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
        ModuleFinder finder = new ModuleFinder() {
            @Override
            public Optional<ModuleReference> find(String name) {
                return name.equals(MODULE) ? Optional.of(reference) : Optional.empty();
            }

            @Override
            public Set<ModuleReference> findAll() {
                return Set.of(reference);
            }
        };
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of(MODULE));
        ModuleLayer layer = boot.defineModulesWithOneLoader(cf, BootDefinition.class.getClassLoader());
        Module module = layer.findModule(MODULE).orElseThrow();
        inst.redefineModule(Object.class.getModule(), Set.of(), Map.of(), Map.of("java.lang", Set.of(module)),
                Set.of(), Map.of());
        Class<?> type = module.getClassLoader().loadClass(DEFINER);
        return type.getConstructor().newInstance();
    }
}
