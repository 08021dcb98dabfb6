package dev.vigil.benchmarks;

import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What tracking the JDK's own monitors costs: Vigil instruments the synchronized methods of
 * {@code Hashtable}, {@code Vector}, {@code StringBuffer} and {@code Observable} and the
 * {@code synchronized (mutex)} blocks of {@code Collections.synchronized*}, so every call of them
 * pays a lock hook pair, in application code and inside the JDK alike. Uncontended, one thread,
 * nothing held (depth 1) and under an application lock (depth 2, a known edge). Run through
 * {@link CompareWithAgent} with the regex {@code JdkMonitorBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JdkMonitorBenchmark {

    private final Hashtable<Integer, Integer> hashtable = new Hashtable<>();
    private final Vector<Integer> vector = new Vector<>();
    private final Map<Integer, Integer> synchronizedMap = Collections.synchronizedMap(new HashMap<>());
    private final StringBuffer buffer = new StringBuffer();
    private final Object outer = new Object();
    private final Integer key = 7;

    @Setup
    public void fill() {
        for (int i = 0; i < 16; i++) {
            hashtable.put(i, i);
            vector.add(i);
            synchronizedMap.put(i, i);
        }
    }

    @Benchmark
    public int hashtableGet() {
        return hashtable.get(key);
    }

    @Benchmark
    public int vectorGet() {
        return vector.get(7);
    }

    @Benchmark
    public int synchronizedMapGet() {
        return synchronizedMap.get(key);
    }

    @Benchmark
    public int stringBufferAppend() {
        buffer.setLength(0);
        return buffer.append('x').length();
    }

    @Benchmark
    public int hashtableGetUnderLock() {
        synchronized (outer) {
            return hashtable.get(key);
        }
    }
}
