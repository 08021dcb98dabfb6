package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * The inlined hooks run where they should (entry, every return, a throw out of the method), see
 * what they should ({@code this}, an argument saved at entry, the value returned, the throwable)
 * and leave the method's behaviour as it was. The rewritten class is loaded in a fresh loader,
 * so the JVM verifies it: a wrong stack map frame fails the test with a {@code VerifyError}.
 */
class MethodHooksTest {

    /** What the hooks in the rewritten {@link Subject} record. */
    public static final class Recorder {
        static final List<String> EVENTS = new ArrayList<>();

        public static void event(String what, Object value) {
            EVENTS.add(what + ":" + (value instanceof Throwable t ? t.getClass().getSimpleName() + "/" + t.getMessage()
                    : value != null && value.getClass().getName().equals(Subject.class.getName()) ? "this"
                    : String.valueOf(value)));
        }
    }

    /** The methods the hooks go into: several returns, loops (frames), wide locals, own handlers, throws. */
    public static final class Subject {
        public synchronized int twoReturns(int x) {
            if (x > 0) {
                return x;
            }
            return -x;
        }

        public static synchronized long wideLocals(long a, double b) {
            long sum = a;
            for (int i = 0; i < 3; i++) {
                sum += i;
            }
            return sum + (long) b;
        }

        public Object ownHandler(Object o) {
            try {
                if (o == null) {
                    throw new IllegalArgumentException("null");
                }
                o = "replaced " + o; // the argument's local is written: the saved copy still holds the original
            } catch (IllegalArgumentException e) {
                return "caught";
            }
            return o;
        }

        public void throwsOut(String message) {
            String local = message + "!";
            if (local.length() > 1) {
                throw new IllegalStateException(local);
            }
        }
    }

    private static final String RECORDER = Recorder.class.getName().replace('.', '/');
    private static final String EVENT = "(Ljava/lang/String;Ljava/lang/Object;)V";

    /** Records entry (this or null), the argument saved at entry, what is returned, and what is thrown. */
    private static final class Recording implements MethodHooks.Hook {
        private final boolean saveArg;
        private int saved = -1;

        Recording(boolean saveArg) {
            this.saveArg = saveArg;
        }

        @Override
        public void enter(MethodHooks m) {
            m.loadConstant("enter");
            if (m.isStatic()) {
                m.loadNull();
            } else {
                m.loadThis();
            }
            m.call(RECORDER, "event", EVENT);
            if (saveArg) {
                m.loadArg(0);
                saved = m.save();
            }
        }

        @Override
        public boolean onThrow() {
            return true;
        }

        @Override
        public void exit(MethodHooks m) {
            m.loadConstant("exit");
            m.loadThrownOrNull();
            m.call(RECORDER, "event", EVENT);
            if (saved >= 0) {
                m.loadConstant("arg");
                m.load(saved);
                m.call(RECORDER, "event", EVENT);
            }
        }
    }

    @Test
    void compressedFramesHooksSeeThisAndTheThrowable() throws Exception {
        Class<?> c = rewrite(false);
        Object subject = c.getConstructor().newInstance();
        Recorder.EVENTS.clear();
        assertThat(c.getMethod("twoReturns", int.class).invoke(subject, 5)).isEqualTo(5);
        assertThat(c.getMethod("twoReturns", int.class).invoke(subject, -7)).isEqualTo(7);
        assertThat(c.getMethod("wideLocals", long.class, double.class).invoke(null, 10L, 2.5)).isEqualTo(15L);
        assertThat(Recorder.EVENTS).containsExactly("enter:this", "exit:null", "enter:this", "exit:null",
                "enter:null", "exit:null");

        Recorder.EVENTS.clear();
        Method throwsOut = c.getMethod("throwsOut", String.class);
        assertThatThrownBy(() -> invoke(throwsOut, subject, "boom")).isInstanceOf(IllegalStateException.class)
                .hasMessage("boom!");
        assertThat(Recorder.EVENTS).containsExactly("enter:this", "exit:IllegalStateException/boom!");
    }

    @Test
    void expandedFramesHooksSeeTheArgumentSavedAtEntryAndTheMethodsOwnHandlersComeFirst() throws Exception {
        Class<?> c = rewrite(true);
        Object subject = c.getConstructor().newInstance();
        Method ownHandler = c.getMethod("ownHandler", Object.class);
        Recorder.EVENTS.clear();
        assertThat(ownHandler.invoke(subject, "x")).isEqualTo("replaced x");
        assertThat(ownHandler.invoke(subject, (Object) null)).isEqualTo("caught");
        assertThat(Recorder.EVENTS).containsExactly("enter:this", "exit:null", "arg:x",
                "enter:this", "exit:null", "arg:null");

        Recorder.EVENTS.clear();
        assertThatThrownBy(() -> invoke(c.getMethod("throwsOut", String.class), subject, "b"))
                .isInstanceOf(IllegalStateException.class).hasMessage("b!");
        assertThat(Recorder.EVENTS).containsExactly("enter:this", "exit:IllegalStateException/b!", "arg:b");
    }

    @Test
    void theReturnedValueIsSeenAndLeftOnTheStack() throws Exception {
        MethodHooks.Hook returned = MethodHooks.hook(m -> { }, MethodHooks.Exit.RETURNED, m -> {
            m.loadConstant("returned");
            m.loadReturned();
            m.call(RECORDER, "event", EVENT);
        });
        Class<?> c = rewrite(true, (name, desc) -> name.equals("ownHandler") ? returned : null);
        Recorder.EVENTS.clear();
        assertThat(c.getMethod("ownHandler", Object.class).invoke(c.getConstructor().newInstance(), "y"))
                .isEqualTo("replaced y");
        assertThat(Recorder.EVENTS).containsExactly("returned:replaced y");
    }

    private static final String SUBJECT = Subject.class.getName().replace('.', '/');

    /** {@link Subject} with a {@link Recording} hook in every method but its constructor. */
    private static Class<?> rewrite(boolean expanded) throws Exception {
        // Saved values are references: an argument is saved when the first one is.
        return rewrite(expanded, (name, desc) -> name.equals("<init>") ? null
                : new Recording(expanded && desc.startsWith("(L")));
    }

    /** The hook of a method of {@link Subject}, by name and descriptor, or null for none. */
    private interface HookFor {
        MethodHooks.Hook of(String name, String desc);
    }

    /** {@link Subject} rewritten with {@code hooks}, read with expanded frames or not, and defined. */
    private static Class<?> rewrite(boolean expanded, HookFor hooks) throws Exception {
        byte[] b = subjectBytes();
        Map<String, Integer> maxLocals = maxLocals(b);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exc) {
                MethodVisitor mv = super.visitMethod(access, name, desc, signature, exc);
                MethodHooks.Hook hook = hooks.of(name, desc);
                return hook == null ? mv : new MethodHooks(mv, SUBJECT, access, name, desc, List.of(hook), Map.of(),
                        expanded ? maxLocals.get(name + desc) : -1, Opcodes.V17);
            }
        }, expanded ? ClassReader.EXPAND_FRAMES : 0);
        return define(writer.toByteArray());
    }

    private static Map<String, Integer> maxLocals(byte[] b) {
        Map<String, Integer> out = new HashMap<>();
        new ClassReader(b).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exc) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int locals) {
                        out.put(name + desc, locals);
                    }
                };
            }
        }, 0);
        return out;
    }

    private static byte[] subjectBytes() throws IOException {
        try (InputStream in = Subject.class.getResourceAsStream("MethodHooksTest$Subject.class")) {
            return in.readAllBytes();
        }
    }

    /** Defines the rewritten {@link Subject} in a loader of its own (and so verified); the recorder comes from the parent. */
    private static Class<?> define(byte[] b) throws ClassNotFoundException {
        ClassLoader loader = new ClassLoader(MethodHooksTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Subject.class.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, b, 0, b.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(Subject.class.getName(), true, loader);
    }

    private static Object invoke(Method m, Object target, Object... args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
