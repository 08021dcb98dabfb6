package dev.vigil.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Inlines calls of Vigil's hooks at one method's entry, before each of its returns, and on a throw
 * out of it: what Byte Buddy's {@code Advice} did for Vigil, written for the few shapes Vigil needs,
 * so that premain loads a few ASM classes instead of Byte Buddy's agent builder (docs/PERFORMANCE.md).
 *
 * <p>The code added is straight-line: static calls of the bootstrap hooks, which catch everything
 * they throw themselves, so no branch is added inside the method's code. A throw out of the method
 * is caught by one handler appended after the last instruction, covering the whole original body
 * (and listed last in the exception table, so every handler of the method's own comes first); it
 * runs the hooks' throw code and rethrows. Its stack map frame declares only what the throw code
 * reads: {@code this}, and values saved at entry into locals past the method's own.
 *
 * <p>Two modes. Without {@code firstFreeLocal} (application classes: the hooks read {@code this} or
 * the class constant only) the class is read with compressed frames and the handler's frame is a
 * full frame of {@code this} alone. With it (the JDK classes, read with expanded frames after a
 * pass that found each method's {@code max_locals}), hooks may save values at entry
 * ({@link #save}); every frame of the method is extended with those locals, assigned before the
 * first instruction of the original code and never written again, so they hold everywhere.
 */
final class MethodHooks extends MethodVisitor {

    /** What one hook adds to a method. Hooks nest: the first listed is outermost. */
    interface Hook {
        /** Code at entry; may {@link #save} values for the exits. */
        default void enter(MethodHooks m) {
        }

        /** True when {@link #exit} runs before each return. */
        default boolean onReturn() {
            return true;
        }

        /** True when {@link #exit} runs on a throw out of the method. */
        default boolean onThrow() {
            return false;
        }

        /**
         * Code before each return (the return value, if any, stays on the stack below) when
         * {@link #onReturn}, and on a throw when {@link #onThrow} ({@link #loadThrownOrNull} tells which).
         */
        default void exit(MethodHooks m) {
        }

        /** True when {@link #exit} reads the return value ({@link #loadReturned}). */
        default boolean readsReturned() {
            return false;
        }
    }

    /** Where a hook's exit code runs. */
    enum Exit {
        /** Nowhere: an entry hook. */
        NONE,
        /** Before each return. */
        RETURN,
        /** Before each return, reading the value returned ({@link #loadReturned}). */
        RETURNED,
        /** On a throw out of the method only. */
        THROW,
        /** Before each return and on a throw ({@link #loadThrownOrNull} tells which). */
        ALWAYS
    }

    /** A hook of code: {@code enter} at entry, {@code exit} where {@code when} says. */
    static Hook hook(java.util.function.Consumer<MethodHooks> enter, Exit when,
                     java.util.function.Consumer<MethodHooks> exit) {
        return new Hook() {
            @Override
            public void enter(MethodHooks m) {
                enter.accept(m);
            }

            @Override
            public boolean onReturn() {
                return when == Exit.RETURN || when == Exit.RETURNED || when == Exit.ALWAYS;
            }

            @Override
            public boolean onThrow() {
                return when == Exit.THROW || when == Exit.ALWAYS;
            }

            @Override
            public boolean readsReturned() {
                return when == Exit.RETURNED;
            }

            @Override
            public void exit(MethodHooks m) {
                exit.accept(m);
            }
        };
    }

    private static final String THROWABLE = "java/lang/Throwable";

    private final String owner;
    private final boolean isStatic;
    private final boolean isConstructor;
    private final Type returnType;
    private final Type[] args;
    private final List<Hook> hooks;
    private final Map<String, String> fieldDescriptors;
    private final int firstFreeLocal;
    private final int classVersion;
    private final boolean frames;
    private final boolean throwHandler;
    private final boolean readsReturned;
    /** Frame types of the locals saved at entry, from {@code firstFreeLocal} on. */
    private final List<Object> saved = new ArrayList<>();
    private Label bodyStart;
    /** While the throw code runs: the local holding the throwable; -1 elsewhere. */
    private int thrownLocal = -1;
    private int returnedLocal = -1;

    /**
     * @param owner            the class's internal name
     * @param fieldDescriptors the class's fields by name (for {@link #loadField}), or an empty map
     * @param firstFreeLocal   the method's {@code max_locals} when read with expanded frames; -1
     *                         with compressed frames
     * @param classVersion     the class file's major version
     */
    MethodHooks(MethodVisitor mv, String owner, int access, String name, String descriptor, List<Hook> hooks,
                Map<String, String> fieldDescriptors, int firstFreeLocal, int classVersion) {
        super(Opcodes.ASM9, mv);
        this.owner = owner;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.isConstructor = name.equals("<init>");
        this.returnType = Type.getReturnType(descriptor);
        this.args = Type.getArgumentTypes(descriptor);
        this.hooks = List.copyOf(hooks);
        this.fieldDescriptors = fieldDescriptors;
        this.firstFreeLocal = firstFreeLocal;
        this.classVersion = classVersion;
        this.frames = classVersion >= Opcodes.V1_6;
        this.throwHandler = hooks.stream().anyMatch(Hook::onThrow);
        this.readsReturned = hooks.stream().anyMatch(Hook::readsReturned);
        if (throwHandler && isConstructor) {
            throw new IllegalArgumentException("no throw hook in a constructor: this is not initialized in every frame");
        }
        if (readsReturned && (firstFreeLocal < 0 || returnType.getSort() < Type.ARRAY)) {
            throw new IllegalArgumentException("the return value is read only from a reference, with expanded frames");
        }
    }

    @Override
    public void visitCode() {
        super.visitCode();
        for (Hook h : hooks) {
            h.enter(this);
        }
        bodyStart = new Label();
        super.visitLabel(bodyStart);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            if (readsReturned) {
                super.visitInsn(Opcodes.DUP);
                super.visitVarInsn(Opcodes.ASTORE, returnedLocal());
            }
            exits();
        }
        super.visitInsn(opcode);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (firstFreeLocal < 0 || saved.isEmpty()) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        List<Object> locals = new ArrayList<>();
        int slots = 0;
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
            slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        padTo(locals, slots);
        super.visitFrame(type, locals.size(), locals.toArray(), numStack, stack);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (throwHandler) {
            Label handler = new Label();
            super.visitLabel(handler);
            if (frames) {
                List<Object> locals = new ArrayList<>();
                if (!isStatic) {
                    locals.add(owner);
                }
                if (firstFreeLocal >= 0) {
                    padTo(locals, locals.size());
                }
                super.visitFrame(firstFreeLocal >= 0 ? Opcodes.F_NEW : Opcodes.F_FULL, locals.size(), locals.toArray(),
                        1, new Object[] {THROWABLE});
            }
            // Past the original code nothing reads the method's own locals again: the throwable
            // goes into the first local the throw code does not read.
            thrownLocal = firstFreeLocal >= 0 ? firstFreeLocal + saved.size() : (isStatic ? 0 : 1);
            super.visitVarInsn(Opcodes.ASTORE, thrownLocal);
            exits();
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
            super.visitInsn(Opcodes.ATHROW);
            thrownLocal = -1;
            super.visitTryCatchBlock(bodyStart, handler, handler, null);
        }
        super.visitMaxs(maxStack, maxLocals);
    }

    /** Adds the saved locals after the method's own (their slots padded with TOP). */
    private void padTo(List<Object> locals, int slots) {
        for (int s = slots; s < firstFreeLocal; s++) {
            locals.add(Opcodes.TOP);
        }
        locals.addAll(saved);
    }

    private void exits() {
        for (int i = hooks.size() - 1; i >= 0; i--) {
            Hook h = hooks.get(i);
            if (thrownLocal < 0 ? h.onReturn() : h.onThrow()) {
                h.exit(this);
            }
        }
    }

    private int returnedLocal() {
        if (returnedLocal < 0) {
            returnedLocal = firstFreeLocal + saved.size() + 1;
        }
        return returnedLocal;
    }

    // ------------------------------------------------------------------ what hooks emit

    void loadThis() {
        super.visitVarInsn(Opcodes.ALOAD, 0);
    }

    /** Loads argument {@code index} (from 0) from its own local: at entry, or where the method never writes it. */
    void loadArg(int index) {
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < index; i++) {
            slot += args[i].getSize();
        }
        super.visitVarInsn(args[index].getOpcode(Opcodes.ILOAD), slot);
    }

    /** Loads field {@code name} of {@code this}, a field of the class itself. */
    void loadField(String name) {
        String desc = fieldDescriptors.get(name);
        if (desc == null) {
            throw new IllegalStateException("no field " + name + " in " + owner);
        }
        loadThis();
        super.visitFieldInsn(Opcodes.GETFIELD, owner, name, desc);
    }

    void loadConstant(Object value) {
        super.visitLdcInsn(value);
    }

    /** The class itself: a class constant, or {@code Class.forName} in a class file older than Java 5's. */
    void loadOwnClass() {
        if (classVersion >= Opcodes.V1_5) {
            super.visitLdcInsn(Type.getObjectType(owner));
        } else {
            super.visitLdcInsn(owner.replace('/', '.'));
            super.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Class", "forName",
                    "(Ljava/lang/String;)Ljava/lang/Class;", false);
        }
    }

    void loadInt(int value) {
        super.visitInsn(Opcodes.ICONST_0 + value);
    }

    void loadNull() {
        super.visitInsn(Opcodes.ACONST_NULL);
    }

    /** In the throw code, the throwable; on a return, null. */
    void loadThrownOrNull() {
        if (thrownLocal >= 0) {
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
        } else {
            loadNull();
        }
    }

    /** Before a return, the value returned (a reference). */
    void loadReturned() {
        super.visitVarInsn(Opcodes.ALOAD, returnedLocal());
    }

    /** At entry: stores the reference on top of the stack into a new local; returns it for {@link #load}. */
    int save() {
        if (firstFreeLocal < 0) {
            throw new IllegalStateException("values are saved only with expanded frames");
        }
        int slot = firstFreeLocal + saved.size();
        saved.add("java/lang/Object");
        super.visitVarInsn(Opcodes.ASTORE, slot);
        return slot;
    }

    void load(int savedLocal) {
        super.visitVarInsn(Opcodes.ALOAD, savedLocal);
    }

    void call(String hooksClass, String name, String descriptor) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, hooksClass, name, descriptor, false);
    }

    boolean isStatic() {
        return isStatic;
    }
}
