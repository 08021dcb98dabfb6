package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bootstrap.SyncCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * Every call the visitor rewrites must land on a {@link SyncCalls} stand-in with exactly that
 * descriptor: a mismatch would be a {@code NoSuchMethodError} in the host's code.
 */
class SyncSiteVisitorTest {

    private record Call(int opcode, String owner, String name, String desc) {
    }

    private static final String SEM = "java/util/concurrent/Semaphore";
    private static final String LATCH = "java/util/concurrent/CountDownLatch";
    private static final String BARRIER = "java/util/concurrent/CyclicBarrier";
    private static final String PHASER = "java/util/concurrent/Phaser";
    private static final String PARK = "java/util/concurrent/locks/LockSupport";
    private static final String TIMED = "JLjava/util/concurrent/TimeUnit;";
    private static final int V = Opcodes.INVOKEVIRTUAL;
    private static final int S = Opcodes.INVOKESTATIC;

    private static final List<Call> REWRITTEN = List.of(
            new Call(V, SEM, "acquire", "()V"), new Call(V, SEM, "acquire", "(I)V"),
            new Call(V, SEM, "acquireUninterruptibly", "()V"), new Call(V, SEM, "acquireUninterruptibly", "(I)V"),
            new Call(V, SEM, "tryAcquire", "()Z"), new Call(V, SEM, "tryAcquire", "(I)Z"),
            new Call(V, SEM, "tryAcquire", "(" + TIMED + ")Z"), new Call(V, SEM, "tryAcquire", "(I" + TIMED + ")Z"),
            new Call(V, SEM, "release", "()V"), new Call(V, SEM, "release", "(I)V"),
            new Call(V, LATCH, "await", "()V"), new Call(V, LATCH, "await", "(" + TIMED + ")Z"),
            new Call(V, LATCH, "countDown", "()V"),
            new Call(V, BARRIER, "await", "()I"), new Call(V, BARRIER, "await", "(" + TIMED + ")I"),
            new Call(V, PHASER, "arriveAndAwaitAdvance", "()I"), new Call(V, PHASER, "awaitAdvance", "(I)I"),
            new Call(V, PHASER, "register", "()I"), new Call(V, PHASER, "bulkRegister", "(I)I"),
            new Call(V, PHASER, "arrive", "()I"), new Call(V, PHASER, "arriveAndDeregister", "()I"),
            new Call(V, PHASER, "awaitAdvanceInterruptibly", "(I)I"),
            new Call(V, PHASER, "awaitAdvanceInterruptibly", "(I" + TIMED + ")I"),
            new Call(S, PARK, "park", "()V"), new Call(S, PARK, "park", "(Ljava/lang/Object;)V"),
            new Call(S, PARK, "parkNanos", "(J)V"), new Call(S, PARK, "parkNanos", "(Ljava/lang/Object;J)V"),
            new Call(S, PARK, "parkUntil", "(J)V"), new Call(S, PARK, "parkUntil", "(Ljava/lang/Object;J)V"));

    @Test
    void everyRewrittenCallHasAStandInWithTheSiteAppended() throws ReflectiveOperationException {
        for (Call c : REWRITTEN) {
            String replacement = SyncSiteVisitor.replacement(c.opcode(), c.owner(), c.name(), c.desc());
            assertThat(replacement).as(c.toString()).isNotNull().endsWith(
                    "Ljava/lang/String;" + c.desc().substring(c.desc().indexOf(')')));
            MethodType type = MethodType.fromMethodDescriptorString(replacement, SyncCalls.class.getClassLoader());
            assertThat(MethodHandles.publicLookup().findStatic(SyncCalls.class, c.name(), type)).as(c.toString())
                    .isNotNull();
        }
    }

    @Test
    void otherCallsAreLeftAlone() {
        // Subclass owners, methods that neither take, give nor wait, interface dispatch.
        assertThat(SyncSiteVisitor.replacement(V, "com/acme/Pool", "acquire", "()V")).isNull();
        assertThat(SyncSiteVisitor.replacement(V, SEM, "availablePermits", "()I")).isNull();
        assertThat(SyncSiteVisitor.replacement(V, SEM, "drainPermits", "()I")).isNull();
        assertThat(SyncSiteVisitor.replacement(V, LATCH, "getCount", "()J")).isNull();
        assertThat(SyncSiteVisitor.replacement(V, PHASER, "getRegisteredParties", "()I")).isNull();
        assertThat(SyncSiteVisitor.replacement(V, PHASER, "forceTermination", "()V")).isNull();
        assertThat(SyncSiteVisitor.replacement(S, PARK, "unpark", "(Ljava/lang/Thread;)V")).isNull();
        assertThat(SyncSiteVisitor.replacement(Opcodes.INVOKEINTERFACE, SEM, "acquire", "()V")).isNull();
        assertThat(SyncSiteVisitor.replacement(Opcodes.INVOKESPECIAL, SEM, "<init>", "(I)V")).isNull();
    }

    @Test
    void theCreationHookExists() throws Exception {
        assertThat(MethodHandles.publicLookup().findStatic(SyncCalls.class, "created",
                MethodType.methodType(void.class, Object.class, String.class))).isNotNull();
    }
}
