package dev.vigil.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Class-load cost, the way a framework start-up pays it: loads (links, does not initialise) every
 * class of the jars given, through one class loader, and prints how many and how long. Run it with
 * and without the agent (scripts/startup-compare.sh): the difference over the count is what the
 * agent adds per loaded class.
 */
public final class ClassLoadWorkload {

    private ClassLoadWorkload() {
    }

    public static void main(String[] args) throws IOException {
        List<URL> urls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String path : args) {
            File f = new File(path);
            urls.add(f.toURI().toURL());
            try (JarFile jar = new JarFile(f)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.endsWith(".class") && !n.contains("-") && !n.startsWith("META-INF")) {
                        names.add(n.substring(0, n.length() - 6).replace('/', '.'));
                    }
                }
            }
        }
        long start = System.nanoTime();
        int loaded = 0;
        int failed = 0;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                ClassLoadWorkload.class.getClassLoader())) {
            for (String n : names) {
                try {
                    Class.forName(n, false, loader);
                    loaded++;
                } catch (Throwable t) {
                    failed++; // optional dependencies missing: the class is skipped, with or without the agent
                }
            }
        }
        long micros = (System.nanoTime() - start) / 1000;
        System.out.println("{\"loaded\":" + loaded + ",\"failed\":" + failed + ",\"millis\":" + micros / 1000
                + ",\"microsPerClass\":" + (loaded == 0 ? 0 : micros / loaded) + "}");
    }
}
