package dev.vigil.agent.report;

import dev.vigil.report.model.Finding;
import java.util.List;

/** Turns what a tracker recorded into findings. One per hazard family. */
public interface Detector {

    List<Finding> findings(Phase phase);
}
