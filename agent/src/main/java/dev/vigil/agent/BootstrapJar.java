package dev.vigil.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the hook classes on the bootstrap class path. They ship inside the agent jar as a nested
 * jar ({@value #RESOURCE}), never as plain classes, so the application loader can never load its
 * own copy: JDK classes could not see that copy (DESIGN.md §3).
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
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            Path tmp = Files.createTempFile("vigil-bootstrap-" + ProcessHandle.current().pid() + "-", ".jar");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            inst.appendToBootstrapClassLoaderSearch(new JarFile(tmp.toFile()));
        }
        appended = true;
    }
}
