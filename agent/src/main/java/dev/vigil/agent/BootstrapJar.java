package dev.vigil.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Puts the hook classes on the bootstrap class path. They ship inside the agent jar as a nested
 * jar ({@value #RESOURCE}), never as plain classes, so the application loader can never load its
 * own copy: JDK classes could not see that copy (docs/dev-notes/architecture.md, "The bootstrap contract").
 *
 * <p>First choice ({@link BootDefinition}): its classes are defined in the bootstrap loader
 * directly, which leaves the JVM's class-data sharing as it was (appending to the bootstrap class
 * path turns it off for every class but the JDK's own boot classes, and the JVM says so on the
 * program's output at every start: "Sharing is only supported for boot loader classes because
 * bootstrap classpath has been appended"). Should that fail, the nested jar is appended.
 *
 * <p>The nested jar is copied to a temporary file, appended, every class in it is loaded by the
 * bootstrap loader at once, and the file is deleted: nothing is left in the temporary directory,
 * even when the process is later killed (a {@code deleteOnExit} alone left one file per killed
 * JVM). Should a class fail to load, the file is kept until exit so that lazy loading still works.
 */
final class BootstrapJar {

    static final String RESOURCE = "/META-INF/vigil/vigil-bootstrap.jar";

    private static boolean appended;

    private BootstrapJar() {
    }

    static synchronized void append(Instrumentation inst) throws IOException {
        if (appended) {
            return;
        }
        if (BootDefinition.defineAll(inst, RESOURCE)) {
            appended = true;
            return;
        }
        Path tmp;
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            tmp = Files.createTempFile("vigil-bootstrap-" + ProcessHandle.current().pid() + "-", ".jar");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> classes;
        try (JarFile jar = new JarFile(tmp.toFile())) {
            inst.appendToBootstrapClassLoaderSearch(jar);
            classes = classNames(jar);
        }
        appended = true;
        if (loadAll(classes)) {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<String> classNames(JarFile jar) {
        List<String> names = new ArrayList<>();
        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String name = e.nextElement().getName();
            if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                names.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
            }
        }
        return names;
    }

    /** Loads (without initialising) every hook class through the bootstrap loader. */
    private static boolean loadAll(List<String> classes) {
        try {
            for (String name : classes) {
                Class.forName(name, false, null);
            }
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
