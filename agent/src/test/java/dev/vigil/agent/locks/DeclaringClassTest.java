package dev.vigil.agent.locks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.stack.PackageFilter;
import dev.vigil.agent.stack.SiteRef;
import dev.vigil.testapp.Pages.AllocPage;
import dev.vigil.testapp.Pages.Handle;
import dev.vigil.testapp.Pages.StoredPage;
import org.junit.jupiter.api.Test;

/**
 * A monitor is of the class whose code takes it (issue 18 part 6): Derby's page/handle inversion
 * was split between {@code AllocPage} and its superclass {@code StoredPage} and came out as no
 * predicted cycle at all.
 */
class DeclaringClassTest {

    private static final String STORED = StoredPage.class.getName();
    private static final String HANDLE = Handle.class.getName();

    private final LockLabels labels = new LockLabels(PackageFilter.all());

    @Test
    void aMonitorTakenInItsSuperclassCodeIsOfThatSuperclassElsewhereOfItsOwnClass() {
        AllocPage page = new AllocPage();
        assertThat(labels.classKey(page, SiteRef.application(STORED, "latch", 10))).isEqualTo(STORED);
        assertThat(labels.classKey(page, "M|" + STORED + "|latch|()V")).isEqualTo(STORED);
        assertThat(labels.classKey(page, SiteRef.application(HANDLE, "lockPage", 20)))
                .as("taken by unrelated code").isEqualTo(AllocPage.class.getName());
        assertThat(labels.classKey(page, "J|java.util.Hashtable|get|1")).isEqualTo(AllocPage.class.getName());
        assertThat(labels.classKey(page, null)).isEqualTo(AllocPage.class.getName());
    }

    @Test
    void anInversionOverASubclassAndItsSuperclassIsAPredictedCycle() {
        LockOrderGraph graph = new LockOrderGraph(labels, () -> new Throwable().getStackTrace());
        Thread w1 = new Thread(() -> { }, "evictor");
        Thread w2 = new Thread(() -> { }, "writer");
        HeldLocks t1 = graph.newThreadState(w1);
        HeldLocks t2 = graph.newThreadState(w2);
        // The evictor: handle, then a page (an AllocPage) in StoredPage's synchronized code.
        Handle h1 = new Handle();
        AllocPage p1 = new AllocPage();
        graph.acquired(t1, h1, LockOrderGraph.EXCLUSIVE, SiteRef.application(HANDLE, "evict", 30), false);
        graph.acquired(t1, p1, LockOrderGraph.EXCLUSIVE, SiteRef.application(STORED, "latch", 10), false);
        graph.released(t1, p1);
        graph.released(t1, h1);
        // The writer: another page (a plain StoredPage), then another handle.
        StoredPage p2 = new StoredPage();
        Handle h2 = new Handle();
        graph.acquired(t2, p2, LockOrderGraph.EXCLUSIVE, SiteRef.application(STORED, "latch", 10), false);
        graph.acquired(t2, h2, LockOrderGraph.EXCLUSIVE, SiteRef.application(STORED, "owner", 40), false);
        graph.released(t2, h2);
        graph.released(t2, p2);

        assertThat(graph.cycles()).singleElement().satisfies(c -> assertThat(c.mode()).isEqualTo(LockCycle.PREDICTED));
    }
}
