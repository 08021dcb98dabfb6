package dev.vigil.agent.instrument;

import static dev.vigil.agent.instrument.QueueInstrumentation.QueueSiteVisitor.replacement;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which calls become QueueCalls stand-ins, and with which descriptor. */
class QueueSiteVisitorTest {

    private static final String O = "Ljava/lang/Object;";

    @Test
    void blockingCallsOnQueueClassesAndInterfacesAreRewritten() {
        assertThat(replacement("java/util/concurrent/BlockingQueue", "put", "(" + O + ")V"))
                .isEqualTo("(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;Ljava/lang/String;)V");
        assertThat(replacement("java/util/concurrent/ArrayBlockingQueue", "take", "()" + O))
                .isEqualTo("(Ljava/util/concurrent/BlockingQueue;Ljava/lang/String;)Ljava/lang/Object;");
        assertThat(replacement("java/util/concurrent/LinkedBlockingQueue", "offer",
                "(Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;)Z")).isEqualTo(
                "(Ljava/util/concurrent/BlockingQueue;Ljava/lang/Object;JLjava/util/concurrent/TimeUnit;Ljava/lang/String;)Z");
        assertThat(replacement("java/util/concurrent/PriorityBlockingQueue", "poll",
                "(JLjava/util/concurrent/TimeUnit;)" + O)).isNotNull();
        assertThat(replacement("java/util/concurrent/LinkedTransferQueue", "transfer", "(" + O + ")V"))
                .isEqualTo("(Ljava/util/concurrent/TransferQueue;Ljava/lang/Object;Ljava/lang/String;)V");
        assertThat(replacement("java/util/concurrent/SynchronousQueue", "drainTo", "(Ljava/util/Collection;)I"))
                .isEqualTo("(Ljava/util/concurrent/BlockingQueue;Ljava/util/Collection;Ljava/lang/String;)I");
        assertThat(replacement("java/util/concurrent/LinkedBlockingDeque", "drainTo", "(Ljava/util/Collection;I)I"))
                .isNotNull();
    }

    @Test
    void nonBlockingCallsThroughQueueAndCollectionAreRewrittenForARunTimeCheck() {
        assertThat(replacement("java/util/Queue", "offer", "(" + O + ")Z"))
                .isEqualTo("(Ljava/util/Queue;Ljava/lang/Object;Ljava/lang/String;)Z");
        assertThat(replacement("java/util/Queue", "poll", "()" + O))
                .isEqualTo("(Ljava/util/Queue;Ljava/lang/String;)Ljava/lang/Object;");
        assertThat(replacement("java/util/Collection", "add", "(" + O + ")Z"))
                .isEqualTo("(Ljava/util/Collection;Ljava/lang/Object;Ljava/lang/String;)Z");
        assertThat(replacement("java/util/concurrent/BlockingQueue", "add", "(" + O + ")Z")).isNotNull();
    }

    @Test
    void blockingDequeCallsAreRewritten() {
        String bd = "Ljava/util/concurrent/BlockingDeque;";
        assertThat(replacement("java/util/concurrent/LinkedBlockingDeque", "putFirst", "(" + O + ")V"))
                .isEqualTo("(" + bd + O + "Ljava/lang/String;)V");
        assertThat(replacement("java/util/concurrent/BlockingDeque", "takeLast", "()" + O))
                .isEqualTo("(" + bd + "Ljava/lang/String;)" + O);
        assertThat(replacement("java/util/concurrent/ArrayBlockingQueue", "putFirst", "(" + O + ")V"))
                .as("not a deque").isNull();
    }

    @Test
    void everyRewrittenCallHasItsStandIn() throws Exception {
        String[][] calls = {
            {"java/util/concurrent/BlockingQueue", "put", "(" + O + ")V"},
            {"java/util/concurrent/BlockingQueue", "take", "()" + O},
            {"java/util/concurrent/BlockingQueue", "offer", "(" + O + "JLjava/util/concurrent/TimeUnit;)Z"},
            {"java/util/concurrent/BlockingQueue", "poll", "(JLjava/util/concurrent/TimeUnit;)" + O},
            {"java/util/concurrent/BlockingQueue", "add", "(" + O + ")Z"},
            {"java/util/concurrent/TransferQueue", "transfer", "(" + O + ")V"},
            {"java/util/concurrent/BlockingQueue", "drainTo", "(Ljava/util/Collection;)I"},
            {"java/util/concurrent/BlockingQueue", "drainTo", "(Ljava/util/Collection;I)I"},
            {"java/util/Queue", "offer", "(" + O + ")Z"},
            {"java/util/Queue", "poll", "()" + O},
            {"java/util/concurrent/BlockingDeque", "putFirst", "(" + O + ")V"},
            {"java/util/concurrent/BlockingDeque", "putLast", "(" + O + ")V"},
            {"java/util/concurrent/BlockingDeque", "takeFirst", "()" + O},
            {"java/util/concurrent/BlockingDeque", "takeLast", "()" + O},
            {"java/util/concurrent/TransferQueue", "tryTransfer", "(" + O + ")Z"},
            {"java/util/concurrent/LinkedTransferQueue", "tryTransfer", "(" + O + "JLjava/util/concurrent/TimeUnit;)Z"},
            {"java/util/concurrent/BlockingQueue", "remove", "()" + O},
            {"java/util/concurrent/BlockingDeque", "offerFirst", "(" + O + ")Z"},
            {"java/util/concurrent/BlockingDeque", "offerLast", "(" + O + ")Z"},
            {"java/util/concurrent/BlockingDeque", "offerFirst", "(" + O + "JLjava/util/concurrent/TimeUnit;)Z"},
            {"java/util/concurrent/BlockingDeque", "offerLast", "(" + O + "JLjava/util/concurrent/TimeUnit;)Z"},
            {"java/util/concurrent/BlockingDeque", "pollFirst", "()" + O},
            {"java/util/concurrent/BlockingDeque", "pollLast", "()" + O},
            {"java/util/concurrent/BlockingDeque", "pollFirst", "(JLjava/util/concurrent/TimeUnit;)" + O},
            {"java/util/concurrent/BlockingDeque", "pollLast", "(JLjava/util/concurrent/TimeUnit;)" + O},
            {"java/util/concurrent/LinkedBlockingDeque", "addFirst", "(" + O + ")V"},
            {"java/util/concurrent/LinkedBlockingDeque", "addLast", "(" + O + ")V"},
            {"java/util/concurrent/LinkedBlockingDeque", "removeFirst", "()" + O},
            {"java/util/concurrent/LinkedBlockingDeque", "removeLast", "()" + O},
            {"java/util/Deque", "push", "(" + O + ")V"},
            {"java/util/Deque", "pop", "()" + O},
        };
        for (String[] c : calls) {
            String desc = replacement(c[0], c[1], c[2]);
            assertThat(desc).as(String.join(" ", c)).isNotNull();
            net.bytebuddy.jar.asm.Type[] params = net.bytebuddy.jar.asm.Type.getArgumentTypes(desc);
            Class<?>[] types = new Class<?>[params.length];
            for (int i = 0; i < params.length; i++) {
                types[i] = params[i].getSort() == net.bytebuddy.jar.asm.Type.LONG ? long.class
                        : params[i].getSort() == net.bytebuddy.jar.asm.Type.INT ? int.class
                        : Class.forName(params[i].getClassName());
            }
            java.lang.reflect.Method m = dev.vigil.bootstrap.QueueCalls.class.getMethod(c[1], types);
            assertThat(net.bytebuddy.jar.asm.Type.getMethodDescriptor(m)).as(String.join(" ", c)).isEqualTo(desc);
            assertThat(java.lang.reflect.Modifier.isStatic(m.getModifiers())).isTrue();
        }
    }

    @Test
    void nonBlockingDequeCallsTryTransferAndRemoveAreRewritten() {
        String d = "Ljava/util/Deque;";
        assertThat(replacement("java/util/concurrent/LinkedBlockingDeque", "offerFirst", "(" + O + ")Z"))
                .isEqualTo("(" + d + O + "Ljava/lang/String;)Z");
        assertThat(replacement("java/util/Deque", "pollLast", "()" + O))
                .as("a Deque-typed reference: checked at run time").isEqualTo("(" + d + "Ljava/lang/String;)" + O);
        assertThat(replacement("java/util/concurrent/LinkedTransferQueue", "tryTransfer", "(" + O + ")Z"))
                .isEqualTo("(Ljava/util/concurrent/TransferQueue;" + O + "Ljava/lang/String;)Z");
        assertThat(replacement("java/util/Queue", "remove", "()" + O))
                .isEqualTo("(Ljava/util/Queue;Ljava/lang/String;)" + O);
        assertThat(replacement("java/util/Deque", "offer", "(" + O + ")Z")).isNotNull();
    }

    @Test
    void callsThatDoNotMoveAnItemAreLeftAlone() {
        assertThat(replacement("java/util/concurrent/BlockingQueue", "element", "()" + O)).isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "peek", "()" + O)).isNull();
        assertThat(replacement("java/util/concurrent/BlockingDeque", "peekFirst", "()" + O)).isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "remove", "(" + O + ")Z"))
                .as("remove(Object) removes a given element, it is not a take").isNull();
        assertThat(replacement("java/util/Collection", "remove", "()" + O)).isNull();
        assertThat(replacement("java/util/concurrent/ArrayBlockingQueue", "offerFirst", "(" + O + ")Z"))
                .as("not a deque").isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "tryTransfer", "(" + O + ")Z")).isNull();
        assertThat(replacement("java/util/ArrayDeque", "pollFirst", "()" + O)).isNull();
    }

    @Test
    void otherCallsAreLeftAlone() {
        assertThat(replacement("java/util/List", "add", "(" + O + ")Z")).isNull();
        assertThat(replacement("java/util/ArrayDeque", "poll", "()" + O)).isNull();
        assertThat(replacement("java/util/Collection", "offer", "(" + O + ")Z")).isNull();
        assertThat(replacement("java/util/Queue", "put", "(" + O + ")V")).as("Queue has no put").isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "remainingCapacity", "()I")).isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "add", "(I" + O + ")V")).isNull();
        assertThat(replacement("java/util/concurrent/BlockingQueue", "poll", "(J)" + O)).isNull();
    }
}
