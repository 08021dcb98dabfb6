package dev.vigil.agent.instrument;

import dev.vigil.agent.stack.PackageFilter;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * Semaphores, latches, barriers, phasers and {@code LockSupport.park}, seen at the application's
 * call sites only (see {@link SyncSiteVisitor}): the JDK's internal uses (executors, queues, the
 * common pool) stay out, and every event carries its line as a constant. {@code Condition.await}
 * waits reach the stuck-wait watch through the lock instrumentation's {@code LockCalls} stand-ins.
 */
public final class SyncInstrumentation {

    private SyncInstrumentation() {
    }

    public static AgentBuilder apply(AgentBuilder builder, PackageFilter packages) {
        return ApplicationSites.apply(builder, packages, SyncSiteVisitor::new);
    }
}
