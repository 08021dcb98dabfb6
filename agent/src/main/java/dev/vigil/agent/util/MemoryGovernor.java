package dev.vigil.agent.util;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's memory budget (option {@code memory}; issue 15). Every store whose size the program
 * drives (lock-order edges, their stacks, ended threads) registers here with an estimate of its
 * records' size. Two things shed records, oldest first, counted per store:
 *
 * <ul>
 *   <li>the budget: when the stores together estimate more than it, they are cut back to three
 *       quarters of it, the largest first;
 *   <li>pressure: a collection that left the heap nearly full ({@link MemoryPressure}). Then every
 *       store gives up half its records, and the budget is halved for the rest of the run (down to
 *       {@link #FLOOR_BYTES}): under pressure the agent sheds its own state, never the host's.
 * </ul>
 *
 * <p>Each store also caps itself at what the budget alone can hold ({@link #capFor}), so that no
 * burst between two checks outgrows it by much. Estimates are per record, measured with a heap
 * histogram (docs/PERFORMANCE.md); they are meant to be right within a factor of two, not exact.
 */
public final class MemoryGovernor {

    /** A table the program can grow. Its methods are called under no lock of the governor's callers. */
    public interface Store {
        /** The counter's name in the report: {@code <name>Shed}. */
        String name();

        /** Estimated bytes held now. */
        long estimatedBytes();

        /** Removes about {@code bytes} worth of the oldest records that can go; returns how many records went. */
        long shedOldest(long bytes);

        /** A store named {@code name} that estimates with {@code estimate} and sheds with {@code shed}. */
        static Store of(String name, java.util.function.LongSupplier estimate, java.util.function.LongUnaryOperator shed) {
            return new Store() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public long estimatedBytes() {
                    return estimate.getAsLong();
                }

                @Override
                public long shedOldest(long bytes) {
                    return shed.applyAsLong(bytes);
                }
            };
        }
    }

    /** The least a budget is ever lowered to under pressure. */
    static final long FLOOR_BYTES = 1L << 20;
    static final long DEFAULT_MIN_BYTES = 2L << 20;
    static final long DEFAULT_MAX_BYTES = 64L << 20;

    private final long configured;
    private volatile long budget;
    private final List<Store> stores = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> shed = new LinkedHashMap<>();
    private final AtomicLong pressureEvents = new AtomicLong();
    private final AtomicLong budgetCuts = new AtomicLong();
    private final AtomicLong agentOutOfMemory = new AtomicLong();
    private final java.util.function.LongSupplier hookOutOfMemory;
    private long hookOutOfMemorySeen;

    public MemoryGovernor(long budgetBytes) {
        this(budgetBytes, () -> 0);
    }

    /** {@code hookOutOfMemory}: out-of-memory errors the hooks caught, a count that only grows. */
    public MemoryGovernor(long budgetBytes, java.util.function.LongSupplier hookOutOfMemory) {
        this.configured = budgetBytes;
        this.budget = budgetBytes;
        this.hookOutOfMemory = hookOutOfMemory;
    }

    /** The default budget: a sixteenth of the maximum heap, between 2 and 64 MB (2 MB under {@code -Xmx32m}). */
    public static long defaultBudget(long maxHeapBytes) {
        long sixteenth = maxHeapBytes <= 0 || maxHeapBytes == Long.MAX_VALUE ? DEFAULT_MAX_BYTES : maxHeapBytes / 16;
        return Math.max(DEFAULT_MIN_BYTES, Math.min(DEFAULT_MAX_BYTES, sixteenth));
    }

    public long budgetBytes() {
        return budget;
    }

    /** The records of {@code bytesPerRecord} the whole budget holds, and never more than {@code hardCap}. */
    public int capFor(int bytesPerRecord, int hardCap) {
        return (int) Math.max(16, Math.min(hardCap, budget / bytesPerRecord));
    }

    public void register(Store store) {
        synchronized (shed) {
            shed.putIfAbsent(store.name(), new AtomicLong());
        }
        stores.add(store);
    }

    /**
     * Periodic (one thread): a hook that ran out of memory since the last check is pressure; over
     * budget, the stores are cut back to three quarters of it, the largest first.
     */
    public void check() {
        long hookOom = hookOutOfMemory.getAsLong();
        if (hookOom > hookOutOfMemorySeen) {
            hookOutOfMemorySeen = hookOom;
            pressure();
        }
        long limit = budget;
        long total = total();
        if (total <= limit) {
            return;
        }
        long toFree = total - limit * 3 / 4;
        List<Store> bySize = new ArrayList<>(stores);
        bySize.sort((a, b) -> Long.compare(b.estimatedBytes(), a.estimatedBytes()));
        for (Store s : bySize) {
            if (toFree <= 0) {
                break;
            }
            toFree -= shedFrom(s, toFree);
        }
    }

    /** A collection left the heap nearly full: every store gives up half of what it holds, and the budget halves. */
    public void pressure() {
        pressureEvents.incrementAndGet();
        long lowered = Math.max(FLOOR_BYTES, budget / 2);
        if (lowered < budget) {
            budget = lowered;
            budgetCuts.incrementAndGet();
        }
        for (Store s : stores) {
            long bytes = s.estimatedBytes();
            if (bytes > 0) {
                shedFrom(s, Math.max(1, bytes / 2));
            }
        }
    }

    /** An agent thread caught an {@link OutOfMemoryError} and goes on: counted, never an internal error. */
    public void agentOutOfMemory() {
        agentOutOfMemory.incrementAndGet();
    }

    /** Bytes freed. */
    private long shedFrom(Store s, long bytes) {
        long before = s.estimatedBytes();
        long records = s.shedOldest(bytes);
        if (records > 0) {
            AtomicLong c;
            synchronized (shed) {
                c = shed.get(s.name());
            }
            c.addAndGet(records);
        }
        return Math.max(0, before - s.estimatedBytes());
    }

    long total() {
        long sum = 0;
        for (Store s : stores) {
            sum += s.estimatedBytes();
        }
        return sum;
    }

    /** The report's {@code agent.memory}: budget, estimate, pressure and the records shed, by store. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("budgetBytes", configured);
        m.put("effectiveBudgetBytes", budget);
        m.put("estimatedBytes", total());
        m.put("pressureEvents", pressureEvents.get());
        m.put("agentOutOfMemoryErrors", agentOutOfMemory.get() + hookOutOfMemory.getAsLong());
        synchronized (shed) {
            shed.forEach((name, c) -> m.put(name + "Shed", c.get()));
        }
        return m;
    }
}
