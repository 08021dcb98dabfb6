package dev.vigil.agent.runtime;

import dev.vigil.agent.util.MemoryGovernor;

import dev.vigil.agent.findings.AgentHealth;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import javax.management.NotificationEmitter;

/**
 * Tells the {@link MemoryGovernor} when a collection left an old generation nearly full: the JVM's
 * collection-usage threshold on every heap pool that has one, and its notification (delivered on
 * the JDK's notification thread). A threshold the application set already is left as it is (its
 * crossings count as pressure too); one the application sets later replaces Vigil's.
 */
public final class MemoryPressure {

    /** After a collection, a pool this full (of its maximum) is pressure. */
    static final double FULL = 0.85;

    private MemoryPressure() {
    }

    /** Installs the thresholds and the listener; returns the number of pools watched. Needs java.lang.management. */
    public static int install(MemoryGovernor governor, AgentHealth health) {
        int watched = 0;
        long heapMax = Runtime.getRuntime().maxMemory();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            // Old generations: both thresholds supported (eden and survivors only the collection one).
            if (pool.getType() != MemoryType.HEAP || !pool.isUsageThresholdSupported()
                    || !pool.isCollectionUsageThresholdSupported()) {
                continue;
            }
            if (pool.getCollectionUsageThreshold() == 0) {
                long max = pool.getUsage().getMax();
                long limit = max > 0 ? max : heapMax;
                if (limit <= 0 || limit == Long.MAX_VALUE) {
                    continue;
                }
                pool.setCollectionUsageThreshold((long) (limit * FULL));
            }
            watched++;
        }
        if (watched > 0) {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((n, handback) -> {
                if (MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(n.getType())) {
                    try {
                        governor.pressure();
                    } catch (OutOfMemoryError e) {
                        governor.agentOutOfMemory();
                    } catch (RuntimeException e) {
                        health.error("shedding Vigil's state under memory pressure", e);
                    }
                }
            }, null, null);
        }
        return watched;
    }
}
