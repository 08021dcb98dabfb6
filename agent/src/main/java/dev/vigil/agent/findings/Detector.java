package dev.vigil.agent.findings;

import dev.vigil.report.model.Finding;
import java.util.List;

/** Turns what a tracker recorded into findings. One per hazard family. */
public interface Detector {

    List<Finding> findings(Phase phase);

    /**
     * Starts a new scope (the MBean's {@code resetScope}): what this detector has seen so far is
     * never reported from now on, the way threads alive before Vigil started never are.
     */
    default void resetScope() {
    }
}
