package dev.vigil.examples.locks;

import java.util.Hashtable;
import java.util.Map;

/**
 * BAD: JDK-6582568. {@code Hashtable.equals} holds this table's monitor and takes the other
 * table's; comparing {@code a.equals(b)} on one thread and {@code b.equals(a)} on another can
 * deadlock inside the JDK. Here the two comparisons run one after the other, so this run does not.
 * Vigil reports a {@code lock-order-cycle} pointing at both calls.
 */
public final class HashtableEquals {

    public static void main(String[] args) throws InterruptedException {
        Map<String, Integer> primary = new Hashtable<>(Map.of("a", 1, "b", 2));
        Map<String, Integer> replica = new Hashtable<>(Map.of("a", 1, "b", 2));
        boolean[] same = new boolean[2];
        Paths.runInTurn(new String[] {"check-primary", "check-replica"},
                () -> same[0] = primary.equals(replica), // vigil:expect lock-order-cycle
                () -> same[1] = replica.equals(primary)); // vigil:expect lock-order-cycle
        System.out.println("in sync: " + (same[0] && same[1]));
    }
}
