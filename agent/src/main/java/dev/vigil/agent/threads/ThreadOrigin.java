package dev.vigil.agent.threads;

/** Who a thread belongs to. Only {@link #APPLICATION} threads can be findings. */
public enum ThreadOrigin {
    /** Started from application code. */
    APPLICATION("application"),
    /**
     * Started by JDK code with no application frame, a worker of a JDK-owned pool, or a thread the
     * JDK starts for itself under application frames ({@link JdkThreads}: shutdown hooks, cleaners...).
     */
    JDK("jdk"),
    /** One of Vigil's own threads. */
    VIGIL("vigil"),
    /** Already alive when Vigil was installed; its start site is unknown. */
    PRE_EXISTING("pre-existing");

    private final String label;

    ThreadOrigin(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
