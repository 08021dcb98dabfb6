package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bootstrap.QueueCalls;
import dev.vigil.bootstrap.QueueListener;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Method references to queue methods, rewritten by {@link MethodRefInstrumentation.Bridges} in a
 * class loaded from the rewritten bytes: the calls reach the QueueCalls stand-ins with the method
 * reference's line, and behave as before.
 */
class MethodRefBridgesTest {

    /** The class whose bytes are rewritten; its line numbers are asserted below. */
    public static final class Refs {
        public static Object boundRefs(BlockingQueue<Object> q) throws Exception {
            Consumer<Object> add = q::add; // line ADD
            add.accept("x");
            Callable<Object> take = q::take; // line TAKE
            return take.call();
        }

        public static Object unboundRef(ArrayBlockingQueue<Object> q) {
            Function<ArrayBlockingQueue<Object>, Object> poll = ArrayBlockingQueue::poll; // line POLL
            return poll.apply(q);
        }

        public static int notTracked(List<Object> list) {
            Function<List<Object>, Integer> size = List::size;
            return size.apply(list);
        }
    }

    private final List<String> events = new CopyOnWriteArrayList<>();
    private boolean bridged;

    @AfterEach
    void detach() {
        QueueCalls.setListener(null);
    }

    @Test
    void boundAndUnboundQueueMethodReferencesGoThroughTheStandInsWithTheirLine() throws Exception {
        QueueCalls.setListener(new QueueListener() {
            @Override
            public void created(Object queue, String site) {
            }

            @Override
            public void operated(Object queue, String site, int role, boolean moved) {
                events.add((role == PUT ? "put " : "take ") + moved + " " + site);
            }

            @Override
            public Object waitStarting(Object queue, String site, int role) {
                return site;
            }

            @Override
            public void waitEnded(Object token, boolean moved) {
                events.add("blocking " + moved + " " + token);
            }
        });
        Class<?> refs = rewritten(Refs.class);
        Object taken = refs.getMethod("boundRefs", BlockingQueue.class).invoke(null, new ArrayBlockingQueue<>(1));
        ArrayBlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
        q.add("y");
        Object polled = refs.getMethod("unboundRef", ArrayBlockingQueue.class).invoke(null, q);
        int size = (int) refs.getMethod("notTracked", List.class).invoke(null, List.of(1, 2));

        assertThat(taken).isEqualTo("x");
        assertThat(polled).isEqualTo("y");
        assertThat(size).isEqualTo(2);
        String cls = Refs.class.getName();
        assertThat(events).containsExactly(
                "put true A|" + cls + "|boundRefs|" + line("line ADD"),
                "blocking true A|" + cls + "|boundRefs|" + line("line TAKE"),
                "take true A|" + cls + "|unboundRef|" + line("line POLL"));
        long bridges = 0;
        for (Method m : refs.getDeclaredMethods()) {
            if (m.getName().startsWith(MethodRefInstrumentation.BRIDGE_PREFIX)) {
                bridges++;
                assertThat(m.isSynthetic()).isTrue();
                assertThat(Modifier.isPrivate(m.getModifiers()) && Modifier.isStatic(m.getModifiers())).isTrue();
            }
        }
        assertThat(bridges).as("one per tracked method reference, none for List::size").isEqualTo(3);
        assertThat(bridged).as("the class is remembered as bridged").isTrue();
    }

    @Test
    void theStandInOfEachKindOfHandle() {
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_INVOKEINTERFACE, "java/util/concurrent/BlockingQueue",
                "put", "(Ljava/lang/Object;)V")).containsExactly(QueueInstrumentation.QueueSiteVisitor.CALLS,
                "(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;Ljava/lang/String;)V");
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_INVOKEVIRTUAL, "java/util/concurrent/Semaphore",
                "release", "()V")).containsExactly(SyncSiteVisitor.CALLS,
                "(Ljava/util/concurrent/Semaphore;Ljava/lang/String;)V");
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_INVOKEVIRTUAL, "java/util/concurrent/CountDownLatch",
                "countDown", "()V")).isNotNull();
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_INVOKESTATIC, "java/util/concurrent/locks/LockSupport",
                "park", "()V")).containsExactly(SyncSiteVisitor.CALLS, "(Ljava/lang/String;)V");
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_NEWINVOKESPECIAL, "java/util/concurrent/Semaphore",
                "<init>", "(I)V")).as("constructor references are not followed").isNull();
        assertThat(MethodRefInstrumentation.standIn(Opcodes.H_INVOKEINTERFACE, "java/util/List", "add",
                "(Ljava/lang/Object;)Z")).isNull();
    }

    private static int line(String marker) throws Exception {
        List<String> source = java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("src/test/java/dev/vigil/agent/instrument/MethodRefBridgesTest.java"));
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).endsWith("// " + marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }

    /** {@code c} defined again, from its bytes as the instrumentation rewrites them, in a loader of its own. */
    private Class<?> rewritten(Class<?> c) throws Exception {
        String resource = c.getName().replace('.', '/') + ".class";
        byte[] original;
        try (InputStream in = c.getClassLoader().getResourceAsStream(resource)) {
            original = in.readAllBytes();
        }
        ClassWriter writer = new ClassWriter(0);
        new ClassReader(original).accept(new MethodRefInstrumentation.Bridges(writer, c.getName(), () -> bridged = true), 0);
        byte[] bytes = writer.toByteArray();
        ClassLoader loader = new ClassLoader(c.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(c.getName())) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> done = findLoadedClass(name);
                        return done != null ? done : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(c.getName(), true, loader);
    }

    @Test
    void bridgedClassesAreRememberedByLoaderAndName() {
        MethodRefInstrumentation.BridgedClasses bridgedClasses = new MethodRefInstrumentation.BridgedClasses();
        ClassLoader loader = getClass().getClassLoader();
        bridgedClasses.add(loader, "com.example.A");
        bridgedClasses.add(null, "com.example.B");
        assertThat(bridgedClasses.contains(loader, "com.example.A")).isTrue();
        assertThat(bridgedClasses.contains(null, "com.example.B")).isTrue();
        assertThat(bridgedClasses.contains(null, "com.example.A")).isFalse();
        assertThat(bridgedClasses.contains(loader, "com.example.C")).isFalse();
    }
}
