package dev.vigil.agent.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.stack.PackageFilter;
import org.junit.jupiter.api.Test;

class LockLabelsTest {

    private static final String SITE = "A|com.example.Service|handle|42";

    /** A service that makes a lock per request: the entries of collected locks do not pile up to the cap. */
    @Test
    void theCreationSitesOfCollectedLocksAreDroppedAsNewLocksAreRecorded() throws InterruptedException {
        LockLabels labels = new LockLabels(PackageFilter.all());
        for (int i = 0; i < 10_000; i++) {
            labels.created(new Object(), SITE);
        }
        assertThat(labels.creationSitesHeld()).isEqualTo(10_000);
        Object kept = new Object();
        labels.created(kept, SITE);
        for (int i = 0; i < 100 && labels.creationSitesHeld() > 1; i++) {
            System.gc();
            Thread.sleep(10);
            labels.created(kept, SITE); // already there: only the sweep of collected ones happens
        }
        assertThat(labels.creationSitesHeld()).as("only the live lock's entry is left").isEqualTo(1);
        assertThat(labels.truncated()).containsEntry("lockCreationSitesDropped", 0L);
    }
}
