package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.Paths;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/** The agent jar is one self-contained jar, its dependencies shaded, its hooks nested. */
class AgentJarLayoutTest {

    @Test
    void manifestDeclaresTheAgent() throws IOException {
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("dev.vigil.agent.VigilAgent");
            assertThat(main.getValue("Agent-Class")).isEqualTo("dev.vigil.agent.VigilAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            assertThat(main.getValue("Can-Redefine-Classes")).isEqualTo("true");
            assertThat(main.getValue("Implementation-Version")).isNotBlank();
        }
    }

    @Test
    void everyClassIsUnderDevVigilAndDependenciesAreRelocated() throws IOException {
        List<String> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(Paths.agentJar().toFile())) {
            for (JarEntry e : Collections.list(jar.entries())) {
                if (e.getName().endsWith(".class")) {
                    classes.add(e.getName());
                }
            }
        }
        assertThat(classes).allSatisfy(c -> assertThat(c).startsWith("dev/vigil/"));
        assertThat(classes).contains(
                "dev/vigil/agent/VigilAgent.class",
                "dev/vigil/shaded/bytebuddy/jar/asm/ClassReader.class",
                "dev/vigil/shaded/jackson/databind/ObjectMapper.class",
                "dev/vigil/report/model/Report.class");
        assertThat(classes).as("of Byte Buddy, only the ASM it carries ships: its agent builder is never loaded")
                .filteredOn(c -> c.startsWith("dev/vigil/shaded/bytebuddy/"))
                .allSatisfy(c -> assertThat(c).startsWith("dev/vigil/shaded/bytebuddy/jar/asm/"));
        assertThat(classes).as("hooks ship only inside the nested bootstrap jar")
                .noneMatch(c -> c.startsWith("dev/vigil/bootstrap/"));
    }

    @Test
    void nestedBootstrapJarHoldsOnlyTheHooks() throws IOException {
        List<String> entries = new ArrayList<>();
        try (JarFile jar = new JarFile(Paths.agentJar().toFile());
             InputStream nested = jar.getInputStream(jar.getEntry("META-INF/vigil/vigil-bootstrap.jar"));
             JarInputStream in = new JarInputStream(nested)) {
            JarEntry e;
            while ((e = in.getNextJarEntry()) != null) {
                if (e.getName().endsWith(".class")) {
                    entries.add(e.getName());
                }
            }
        }
        assertThat(entries).isNotEmpty().allSatisfy(c -> assertThat(c).startsWith("dev/vigil/bootstrap/"));
        assertThat(entries).contains("dev/vigil/bootstrap/VigilHooks.class");
    }
}
