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
