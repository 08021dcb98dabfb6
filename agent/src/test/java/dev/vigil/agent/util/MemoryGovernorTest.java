package dev.vigil.agent.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryGovernorTest {

    /** A store of equal records, {@code bytesEach} apiece; shedding removes whole records. */
    static final class Table implements MemoryGovernor.Store {
        final String name;
        final long bytesEach;
        long records;

        Table(String name, long bytesEach, long records) {
            this.name = name;
            this.bytesEach = bytesEach;
            this.records = records;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long estimatedBytes() {
            return records * bytesEach;
        }

        @Override
        public long shedOldest(long bytes) {
            long n = Math.min(records, (bytes + bytesEach - 1) / bytesEach);
            records -= n;
            return n;
        }
    }

    @Test
    void defaultBudgetIsASixteenthOfTheHeapBetweenTwoAndSixtyFourMegabytes() {
        assertThat(MemoryGovernor.defaultBudget(32L << 20)).isEqualTo(2L << 20);
        assertThat(MemoryGovernor.defaultBudget(256L << 20)).isEqualTo(16L << 20);
        assertThat(MemoryGovernor.defaultBudget(4L << 30)).isEqualTo(64L << 20);
        assertThat(MemoryGovernor.defaultBudget(Long.MAX_VALUE)).isEqualTo(64L << 20);
    }

    @Test
    void underBudgetNothingIsShed() {
        MemoryGovernor g = new MemoryGovernor(1_000);
        Table t = new Table("edges", 10, 100);
        g.register(t);
        g.check();
        assertThat(t.records).isEqualTo(100);
        assertThat(g.counters()).containsEntry("edgesShed", 0L).containsEntry("estimatedBytes", 1_000L);
    }

    @Test
    void overBudgetTheLargestStoresAreCutBackToThreeQuartersOfIt() {
        MemoryGovernor g = new MemoryGovernor(1_000);
        Table small = new Table("small", 10, 20);   // 200 bytes
        Table large = new Table("large", 10, 100);  // 1,000 bytes
        g.register(small);
        g.register(large);
        g.check();
        assertThat(small.estimatedBytes() + large.estimatedBytes()).isEqualTo(750);
        assertThat(small.records).as("the largest store pays first").isEqualTo(20);
        assertThat(large.records).isEqualTo(55);
        assertThat(g.counters()).containsEntry("largeShed", 45L).containsEntry("smallShed", 0L);
    }

    @Test
    void pressureHalvesEveryStoreAndTheBudgetDownToItsFloor() {
        MemoryGovernor g = new MemoryGovernor(3L << 20);
        Table a = new Table("a", 1, 1_000);
        Table b = new Table("b", 1, 10);
        g.register(a);
        g.register(b);
        g.pressure();
        assertThat(a.records).isEqualTo(500);
        assertThat(b.records).isEqualTo(5);
        assertThat(g.budgetBytes()).isEqualTo(3L << 19);
        g.pressure();
        g.pressure();
        assertThat(g.budgetBytes()).isEqualTo(MemoryGovernor.FLOOR_BYTES);
        assertThat(g.counters())
                .containsEntry("budgetBytes", 3L << 20)
                .containsEntry("effectiveBudgetBytes", MemoryGovernor.FLOOR_BYTES)
                .containsEntry("pressureEvents", 3L)
                .containsEntry("aShed", 875L);
    }

    @Test
    void aHookThatRanOutOfMemoryIsPressureAtTheNextCheck() {
        AtomicLong hookOom = new AtomicLong();
        MemoryGovernor g = new MemoryGovernor(1L << 30, hookOom::get);
        Table t = new Table("t", 1, 100);
        g.register(t);
        g.check();
        assertThat(t.records).isEqualTo(100);
        hookOom.set(2);
        g.check();
        assertThat(t.records).isEqualTo(50);
        g.check();
        assertThat(t.records).as("counted once").isEqualTo(50);
        g.agentOutOfMemory();
        assertThat(g.counters()).containsEntry("pressureEvents", 1L).containsEntry("agentOutOfMemoryErrors", 3L);
    }

    @Test
    void capsFollowTheBudget() {
        MemoryGovernor g = new MemoryGovernor(2L << 20);
        assertThat(g.capFor(700, 100_000)).isEqualTo((2 << 20) / 700);
        assertThat(g.capFor(1, 100_000)).isEqualTo(100_000);
        assertThat(g.capFor(1 << 30, 100_000)).isEqualTo(16);
    }
}
