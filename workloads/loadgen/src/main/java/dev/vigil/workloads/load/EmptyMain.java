package dev.vigil.workloads.load;

/** Does nothing: the start-up cost of a JVM (with or without an agent) and nothing else. */
public final class EmptyMain {

    private EmptyMain() {
    }

    public static void main(String[] args) {
        // nothing
    }
}
