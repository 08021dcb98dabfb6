package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.report.AgentHealth;
import dev.vigil.agent.stack.PackageFilter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.utility.JavaModule;
import org.junit.jupiter.api.Test;

/**
 * The prefilter lets a JDK class reach Byte Buddy only by name: no instrumentation may match a JDK
 * class outside {@link Instrumenter#jdkTargets}, or that class would silently go uninstrumented.
 */
class InstrumenterTest {

    private static final Set<String> ALL_JDK_LOCKS = Set.of("Hashtable", "Vector", "Observable", "Collections",
            "StringBuffer");

    @Test
    void everyJdkClassAnInstrumentationMatchesIsAPrefilterTarget() throws IOException {
        ResettableClassFileTransformer transformer = (ResettableClassFileTransformer) Instrumenter
                .builder(new AgentHealth(), PackageFilter.all(), ALL_JDK_LOCKS, Set.of()).makeRaw();
        Prefilter.JdkTargets targets = Instrumenter.jdkTargets(ALL_JDK_LOCKS);
        List<String> matched = new ArrayList<>();
        for (Class<?> c : jdkClasses()) {
            TypeDescription type = TypeDescription.ForLoadedType.of(c);
            if (transformer.iterator(type, null, JavaModule.ofType(c), c, c.getProtectionDomain()).hasNext()) {
                matched.add(c.getName());
            }
        }
        assertThat(matched).as("JDK classes some instrumentation matches")
                .contains("java.lang.Thread", "java.util.concurrent.ThreadPoolExecutor", "java.util.Hashtable",
                        "java.util.Collections$SynchronizedMap")
                .allSatisfy(name -> assertThat(targets.matches(name)).as(name).isTrue());
    }

    @Test
    void targetsFollowTheJdkLocksOption() {
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.util.Hashtable")).isFalse();
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.util.Collections$SynchronizedMap")).isFalse();
        assertThat(Instrumenter.jdkTargets(Set.of()).matches("java.lang.Thread")).isTrue();
        assertThat(Instrumenter.jdkTargets(Set.of("Collections")).matches("java.util.Collections$SynchronizedList"))
                .isTrue();
    }

    /** The classes of java.lang and java.util (and their subpackages) in the running JDK. */
    private static List<Class<?>> jdkClasses() throws IOException {
        List<Class<?>> out = new ArrayList<>();
        Path base = FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.base");
        for (String pkg : List.of("java/lang", "java/util")) {
            try (Stream<Path> files = Files.walk(base.resolve(pkg))) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    String name = base.relativize(p).toString().replace('/', '.');
                    name = name.substring(0, name.length() - ".class".length());
                    try {
                        out.add(Class.forName(name, false, null));
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not loadable on its own: no instrumentation can match it either
                    }
                }
            }
        }
        return out;
    }
}
