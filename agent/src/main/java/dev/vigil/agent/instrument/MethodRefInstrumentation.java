package dev.vigil.agent.instrument;

import dev.vigil.agent.instrument.QueueInstrumentation.QueueSiteVisitor;
import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Method references to the tracked queue and synchronizer methods ({@code queue::put},
 * {@code queue::take}, {@code semaphore::release}, {@code latch::countDown}...). javac compiles
 * them to an {@code invokedynamic} of {@code LambdaMetafactory} whose implementation handle is the
 * JDK method itself, so the JDK-generated lambda calls it directly and the call-site rewriting
 * never sees it. In application classes, such a handle is pointed instead at a private static
 * synthetic bridge added to the class, {@code vigil$ref$N}, which makes the same call through the
 * {@code QueueCalls}/{@code SyncCalls} stand-in with the site of the method reference (its class,
 * method and line). The bridge's first parameter is exactly the captured receiver's type, so the
 * {@code invokedynamic} itself is unchanged and {@code LambdaMetafactory}'s linkage rules hold.
 *
 * <p>Adding a method changes the class format, which the JVM allows when a class is first loaded
 * but not when it is retransformed. So bridges are added only to classes being loaded, and again
 * (the same bridges, the transformation is deterministic) when such a class is retransformed later
 * (by another agent, e.g. Mockito's inline mock maker): a class loaded before Vigil was installed
 * (attach) keeps its method references unseen. Serializable lambdas are left alone (their
 * {@code $deserializeLambda$} checks the implementation method's name).
 */
public final class MethodRefInstrumentation {

    /** Prefix of the bridges' names. */
    static final String BRIDGE_PREFIX = "vigil$ref$";

    private MethodRefInstrumentation() {
    }

    /**
     * The bridges of application class {@code className} in front of {@code next}, when it is being
     * loaded or was defined with bridges; else {@code next}.
     */
    static ClassVisitor visitor(ClassVisitor next, ClassLoader loader, String className, Class<?> classBeingRedefined) {
        if (classBeingRedefined != null && !hasBridges(classBeingRedefined)) {
            return next;
        }
        return new Bridges(next, className, () -> BRIDGED.add(loader, className));
    }

    /**
     * The classes defined with bridges, by loader (weakly) and name: a retransformation of one of
     * them must add the same bridges again. Kept here rather than found by reflection on the class
     * being retransformed, which could load classes inside the transformer.
     */
    private static final BridgedClasses BRIDGED = new BridgedClasses();

    /** True when {@code c} was defined with bridges (so a retransformation must add them again). */
    static boolean hasBridges(Class<?> c) {
        return BRIDGED.contains(c.getClassLoader(), c.getName());
    }

    static final class BridgedClasses {
        /** By loader identity: a {@code WeakHashMap} would run an application loader's own {@code hashCode} (issue 15). */
        private final dev.vigil.agent.util.WeakIdentityMap<java.util.Set<String>> byLoader =
                new dev.vigil.agent.util.WeakIdentityMap<>();
        private final java.util.Set<String> bootstrap = new java.util.HashSet<>();

        synchronized void add(ClassLoader loader, String name) {
            java.util.Set<String> names = bootstrap;
            if (loader != null) {
                byLoader.expunge();
                names = byLoader.get(loader);
                if (names == null) {
                    names = new java.util.HashSet<>();
                    byLoader.put(loader, names);
                }
            }
            names.add(name);
        }

        synchronized boolean contains(ClassLoader loader, String name) {
            java.util.Set<String> names = loader == null ? bootstrap : byLoader.get(loader);
            return names != null && names.contains(name);
        }
    }

    /**
     * The stand-in a handle's target is rewritten to, as {@code [calls class, descriptor]}, or null.
     * {@code tag} is the handle's kind ({@code H_INVOKEVIRTUAL}, {@code H_INVOKEINTERFACE},
     * {@code H_INVOKESTATIC}).
     */
    static String[] standIn(int tag, String owner, String name, String desc) {
        int opcode = switch (tag) {
            case Opcodes.H_INVOKEVIRTUAL -> Opcodes.INVOKEVIRTUAL;
            case Opcodes.H_INVOKEINTERFACE -> Opcodes.INVOKEINTERFACE;
            case Opcodes.H_INVOKESTATIC -> Opcodes.INVOKESTATIC;
            default -> -1;
        };
        if (opcode < 0) {
            return null;
        }
        if (opcode != Opcodes.INVOKESTATIC) {
            String q = QueueSiteVisitor.replacement(owner, name, desc);
            if (q != null) {
                return new String[] {QueueSiteVisitor.CALLS, q};
            }
        }
        String s = SyncSiteVisitor.replacement(opcode, owner, name, desc);
        return s == null ? null : new String[] {SyncSiteVisitor.CALLS, s};
    }

    /** Rewrites the method references of one class and adds their bridges at its end. */
    static final class Bridges extends ClassVisitor {

        private static final String LMF = "java/lang/invoke/LambdaMetafactory";
        /** {@code LambdaMetafactory.FLAG_SERIALIZABLE}. */
        private static final int FLAG_SERIALIZABLE = 1;

        private record Bridge(String name, String desc, String calls, String standIn, String standInDesc,
                              String site, int line) {
        }

        private final String className;
        private final Runnable onBridged;
        private final List<Bridge> bridges = new ArrayList<>();
        private String internalName;
        private boolean isInterface;

        /** {@code onBridged} runs when the class gets at least one bridge. */
        Bridges(ClassVisitor next, String className, Runnable onBridged) {
            super(Opcodes.ASM9, next);
            this.className = className;
            this.onBridged = onBridged;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                          String[] interfaces) {
            internalName = name;
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                         String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            return mv == null ? null : new References(mv, name);
        }

        @Override
        public void visitEnd() {
            for (Bridge b : bridges) {
                emit(b);
            }
            if (!bridges.isEmpty()) {
                onBridged.run();
            }
            super.visitEnd();
        }

        /** {@code private static synthetic R vigil$ref$N(params) { return Calls.standIn(params, site); }} */
        private void emit(Bridge b) {
            MethodVisitor mv = super.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                    b.name(), b.desc(), null, null);
            if (mv == null) {
                return;
            }
            mv.visitCode();
            Label start = new Label();
            mv.visitLabel(start);
            if (b.line() > 0) {
                mv.visitLineNumber(b.line(), start);
            }
            int slot = 0;
            for (Type t : Type.getArgumentTypes(b.desc())) {
                mv.visitVarInsn(t.getOpcode(Opcodes.ILOAD), slot);
                slot += t.getSize();
            }
            mv.visitLdcInsn(b.site());
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, b.calls(), b.standIn(), b.standInDesc(), false);
            Type ret = Type.getReturnType(b.desc());
            mv.visitInsn(ret.getOpcode(Opcodes.IRETURN));
            mv.visitMaxs(Math.max(slot + 1, ret.getSize()), slot);
            mv.visitEnd();
        }

        /** Finds the method references in one method. */
        private final class References extends MethodVisitor {

            private final String methodName;
            private int line;

            References(MethodVisitor mv, String methodName) {
                super(Opcodes.ASM9, mv);
                this.methodName = methodName;
            }

            @Override
            public void visitLineNumber(int line, Label start) {
                this.line = line;
                super.visitLineNumber(line, start);
            }

            @Override
            public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
                Object[] args = rewritten(descriptor, bsm, bsmArgs);
                super.visitInvokeDynamicInsn(name, descriptor, bsm, args == null ? bsmArgs : args);
            }

            /** The bootstrap arguments with the implementation handle pointed at a new bridge, or null. */
            private Object[] rewritten(String indyDesc, Handle bsm, Object[] bsmArgs) {
                if (!bsm.getOwner().equals(LMF) || bsmArgs.length < 3 || !(bsmArgs[1] instanceof Handle impl)) {
                    return null;
                }
                if (bsm.getName().equals("altMetafactory")) {
                    if (bsmArgs.length < 4 || !(bsmArgs[3] instanceof Integer flags)
                            || (flags & FLAG_SERIALIZABLE) != 0) {
                        return null;
                    }
                } else if (!bsm.getName().equals("metafactory")) {
                    return null;
                }
                String[] target = standIn(impl.getTag(), impl.getOwner(), impl.getName(), impl.getDesc());
                if (target == null) {
                    return null;
                }
                Type[] captured = Type.getArgumentTypes(indyDesc);
                String bridgeDesc;
                if (impl.getTag() == Opcodes.H_INVOKESTATIC) {
                    if (captured.length != 0) {
                        return null;
                    }
                    bridgeDesc = impl.getDesc();
                } else {
                    if (captured.length > 1) {
                        return null;
                    }
                    // Bound (queue::put): the captured receiver's exact type, as LambdaMetafactory
                    // requires of captured arguments; unbound (BlockingQueue::take): the owner.
                    String receiver = captured.length == 1 ? captured[0].getDescriptor() : "L" + impl.getOwner() + ";";
                    bridgeDesc = "(" + receiver + impl.getDesc().substring(1);
                }
                String bridgeName = BRIDGE_PREFIX + bridges.size();
                String site = "A|" + className + '|' + methodName + '|' + line;
                bridges.add(new Bridge(bridgeName, bridgeDesc, target[0], impl.getName(), target[1], site, line));
                Object[] args = bsmArgs.clone();
                args[1] = new Handle(Opcodes.H_INVOKESTATIC, internalName, bridgeName, bridgeDesc, isInterface);
                return args;
            }
        }
    }
}
