package dev.vigil.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.instrument.FutureInstrumentation.FutureSiteVisitor;
import dev.vigil.bootstrap.ExecutorHooks;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import org.junit.jupiter.api.Test;

/** The calls after which the visitor emits the creation hook, and the hook's signature. */
class FutureSiteVisitorTest {

    private static final String CF = "java/util/concurrent/CompletableFuture";
    private static final int S = Opcodes.INVOKESTATIC;

    @Test
    void everySupplyAsyncAndRunAsyncOverloadIsAFactory() {
        int factories = 0;
        for (java.lang.reflect.Method m : CompletableFuture.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers())
                    && (m.getName().equals("supplyAsync") || m.getName().equals("runAsync"))) {
                assertThat(FutureSiteVisitor.isFactory(S, CF, m.getName(), Type.getMethodDescriptor(m)))
                        .as(m.toString()).isTrue();
                factories++;
            }
        }
        assertThat(factories).isEqualTo(4);
    }

    @Test
    void completedFuturesAndDependentStagesAreNot() {
        assertThat(FutureSiteVisitor.isFactory(S, CF, "completedFuture", "(Ljava/lang/Object;)L" + CF + ";")).isFalse();
        assertThat(FutureSiteVisitor.isFactory(S, CF, "allOf", "([L" + CF + ";)L" + CF + ";")).isFalse();
        assertThat(FutureSiteVisitor.isFactory(Opcodes.INVOKEVIRTUAL, CF, "thenApply",
                "(Ljava/util/function/Function;)L" + CF + ";")).isFalse();
        assertThat(FutureSiteVisitor.isFactory(S, "com/acme/Futures", "supplyAsync",
                "(Ljava/util/function/Supplier;)L" + CF + ";")).isFalse();
    }

    @Test
    void theCreationHookExists() throws Exception {
        assertThat(MethodHandles.publicLookup().findStatic(ExecutorHooks.class, "created",
                MethodType.methodType(void.class, Object.class, String.class))).isNotNull();
    }
}
