package dev.vigil.agent.instrument;

import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites an application class at its own call sites: every method gets a visitor of each
 * primitive family, outermost first executors ({@link ExecutorSiteVisitor}), futures, synchronizers
 * ({@link SyncSiteVisitor}), queues, then locks and monitors ({@link LockInstrumentation}), so that
 * each sees the calls the ones before it left as they were.
 */
final class ApplicationSites {

    private ApplicationSites() {
    }

    /**
     * The union of sets of owners. Here rather than in {@link ClassScan}, whose initializer reads
     * the visitors' owner sets: a visitor initialized first would find it half-initialized.
     */
    @SafeVarargs
    static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** The rewriting of application class {@code className} (binary name), in front of {@code next}. */
    static ClassVisitor visitor(ClassVisitor next, String className, int classVersion) {
        String internalName = className.replace('.', '/');
        return new ClassVisitor(Opcodes.ASM9, next) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (mv == null) {
                    return null;
                }
                mv = LockInstrumentation.applicationMethod(mv, className, internalName, access, name, descriptor,
                        classVersion);
                mv = new QueueInstrumentation.QueueSiteVisitor(mv, className, name);
                mv = new SyncSiteVisitor(mv, className, name);
                mv = new FutureInstrumentation.FutureSiteVisitor(mv, className, name);
                return new ExecutorSiteVisitor(mv, className, name);
            }
        };
    }

    /**
     * {@code rewriting} for the methods {@code rewrite} marks (by their order in the class file;
     * null marks all), and {@code writer} itself for the others. A method that reaches the writer
     * with no visitor between is copied byte for byte by ASM, its code never parsed
     * ({@code ClassScanTest} checks that the rewriting would have left it as it was).
     */
    static ClassVisitor onlyMethods(boolean[] rewrite, ClassVisitor rewriting, ClassVisitor writer) {
        if (rewrite == null) {
            return rewriting;
        }
        return new ClassVisitor(Opcodes.ASM9, rewriting) {
            private int index;

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                int i = index++;
                return i < rewrite.length && !rewrite[i]
                        ? writer.visitMethod(access, name, descriptor, signature, exceptions)
                        : super.visitMethod(access, name, descriptor, signature, exceptions);
            }
        };
    }

    /**
     * A method visitor that knows the line it is at, names it as a site constant
     * ({@code A|class|method|line}) and pairs {@code NEW} with {@code <init>} ({@link Constructions}).
     */
    abstract static class SiteVisitor extends MethodVisitor {

        private final String className;
        private final String methodName;
        final Constructions constructions = new Constructions();
        private int line;

        SiteVisitor(MethodVisitor mv, String className, String methodName) {
            super(Opcodes.ASM9, mv);
            this.className = className;
            this.methodName = methodName;
        }

        /** The site constant of the current line. */
        final String site() {
            return "A|" + className + '|' + methodName + '|' + line;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            this.line = line;
            super.visitLineNumber(line, start);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            constructions.typeInsn(opcode, type);
            super.visitTypeInsn(opcode, type);
        }
    }
}
