package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The prefilter's promise, checked on thousands of real class files (Byte Buddy's, Jackson's and
 * java.base's): a class it skips is one the application rewriting would leave byte-for-byte as it
 * is, and it skips most classes.
 */
class ClassScanTest {

    @Test
    void aSkippedClassIsOneTheRewritingWouldNotChange() throws IOException {
        List<byte[]> classes = realClasses();
        assertThat(classes).hasSizeGreaterThan(5_000);
        int skipped = 0;
        List<String> wrong = new ArrayList<>();
        for (byte[] b : classes) {
            boolean scan = ClassScan.mayNeedRewriting(b);
            boolean changed = !Arrays.equals(rewritten(b), copied(b));
            if (changed && !scan) {
                wrong.add(new ClassReader(b).getClassName());
            }
            if (!scan) {
                skipped++;
            }
        }
        assertThat(wrong).as("classes the rewriting changes but the scan skips").isEmpty();
        assertThat(skipped).as("classes skipped of " + classes.size()).isGreaterThan(classes.size() / 2);
    }

    @Test
    void aMethodLeftToBeCopiedIsOneTheRewritingWouldNotChange() throws IOException {
        int methods = 0;
        int copied = 0;
        List<String> wrong = new ArrayList<>();
        for (byte[] b : realClasses()) {
            if (!ClassScan.mayNeedRewriting(b)) {
                continue;
            }
            boolean[] rewrite = ClassScan.methodsToRewrite(b);
            assertThat(rewrite).as(new ClassReader(b).getClassName()).isNotNull();
            methods += rewrite.length;
            for (boolean r : rewrite) {
                copied += r ? 0 : 1;
            }
            if (!Arrays.equals(rewritten(b, null), rewritten(b, rewrite))) {
                wrong.add(new ClassReader(b).getClassName());
            }
        }
        assertThat(wrong).as("classes with a method the rewriting changes but the scan leaves to be copied").isEmpty();
        assertThat(copied).as("methods copied of " + methods + " in the classes rewritten").isGreaterThan(methods / 2);
    }

    @Test
    void aClassFileItCannotReadHasEveryMethodRewritten() {
        assertThat(ClassScan.methodsToRewrite(new byte[0])).isNull();
        byte[] truncated = Arrays.copyOf(copied(classFile(ClassScanTest.class)), 300);
        assertThat(ClassScan.methodsToRewrite(truncated)).isNull();
    }

    @Test
    void theScanFindsWhatItLooksForExactlyAsAsmReadsIt() throws IOException {
        int needing = 0;
        for (byte[] b : realClasses()) {
            boolean expected = reference(b);
            assertThat(ClassScan.mayNeedRewriting(b)).as(new ClassReader(b).getClassName()).isEqualTo(expected);
            if (expected) {
                needing++;
            }
        }
        assertThat(needing).as("classes with a monitor, a wait or a rewritten call").isGreaterThan(300);
    }

    /** Notifies a monitor its caller holds: no monitor instruction, no synchronized flag. */
    static final class NotifiesOutsideMonitor {
        static void wake(Object monitor) {
            monitor.notifyAll();
        }

        static int plain(int x) {
            return x + 1;
        }
    }

    @Test
    void aNotifyOutsideAnyMonitorIsRewrittenAndItsMethodToo() {
        byte[] b = copied(classFile(NotifiesOutsideMonitor.class));
        assertThat(ClassScan.mayNeedRewriting(b)).isTrue();
        assertThat(rewritten(b)).isNotEqualTo(copied(b));
        List<String> marked = new ArrayList<>();
        boolean[] rewrite = ClassScan.methodsToRewrite(b);
        new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9) {
            int i;

            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] ex) {
                if (rewrite[i++]) {
                    marked.add(name);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        assertThat(marked).containsExactly("wake");
    }

    @Test
    void aClassFileItCannotReadIsNeverSkipped() {
        assertThat(ClassScan.mayNeedRewriting(new byte[0])).isTrue();
        assertThat(ClassScan.mayNeedRewriting(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0}))
                .isTrue();
        byte[] truncated = Arrays.copyOf(copied(classFile(ClassScanTest.class)), 300);
        assertThat(ClassScan.mayNeedRewriting(truncated)).isTrue();
    }

    /** What the scan promises to find, read the slow way with ASM. */
    private static boolean reference(byte[] b) {
        boolean[] found = {false};
        new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] ex) {
                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    found[0] = true;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitInsn(int opcode) {
                        found[0] |= opcode == Opcodes.MONITORENTER || opcode == Opcodes.MONITOREXIT;
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        ClassReader r = new ClassReader(b);
        char[] buf = new char[Math.max(16, r.getMaxStringLength())];
        for (int i = 1; i < r.getItemCount(); i++) {
            int off = r.getItem(i);
            if (off == 0) {
                continue;
            }
            int tag = b[off - 1];
            if (tag == 7 && ClassScan.OWNERS.contains(r.readUTF8(off, buf))) {
                found[0] = true;
            }
            if (tag == 12 && List.of("wait", "notify", "notifyAll").contains(r.readUTF8(off, buf))) {
                found[0] = true;
            }
        }
        return found[0];
    }

    /** The application rewriting of the transformer ({@link Prefilter#rewrite}), for a class being loaded. */
    private static byte[] rewritten(byte[] b) {
        return rewritten(b, null);
    }

    /**
     * As {@link #rewritten(byte[])}, with only the methods {@code rewrite} marks (null: all) going
     * through the site visitors; the others reach the writer as they are. The writer is not built
     * on the reader, so every method is written anew from its instructions, and a difference can
     * only come from a site visitor.
     */
    private static byte[] rewritten(byte[] b, boolean[] rewrite) {
        ClassReader reader = new ClassReader(b);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String className = reader.getClassName().replace('/', '.');
        ClassVisitor sites = ApplicationSites.visitor(writer, className, reader.readUnsignedShort(6));
        ClassVisitor bridges = new MethodRefInstrumentation.Bridges(sites, className, () -> { });
        reader.accept(ApplicationSites.onlyMethods(rewrite, bridges, writer), 0);
        return writer.toByteArray();
    }

    private static byte[] copied(byte[] b) {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        new ClassReader(b).accept(writer, 0);
        return writer.toByteArray();
    }

    private static byte[] classFile(Class<?> c) {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Byte Buddy's and Jackson's jars, and java.base from the running JDK. */
    private static List<byte[]> realClasses() throws IOException {
        List<byte[]> out = new ArrayList<>();
        for (Class<?> inJar : List.of(ClassReader.class, com.fasterxml.jackson.databind.ObjectMapper.class)) {
            Path jar = Path.of(URI.create(inJar.getProtectionDomain().getCodeSource().getLocation().toString()));
            try (JarFile f = new JarFile(jar.toFile())) {
                for (Enumeration<JarEntry> e = f.entries(); e.hasMoreElements(); ) {
                    JarEntry entry = e.nextElement();
                    if (entry.getName().endsWith(".class") && !entry.getName().contains("-")) {
                        try (InputStream in = f.getInputStream(entry)) {
                            out.add(in.readAllBytes());
                        }
                    }
                }
            }
        }
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.base/java/util"))) {
            for (Path p : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                out.add(Files.readAllBytes(p));
            }
        }
        return out;
    }
}
