package dev.vigil.agent.permits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorNotifiersTest {

    @Test
    void aMonitorNobodyWaitedOnIsNotWatchedAndItsNotifiesCostNothing() {
        MonitorNotifiers n = new MonitorNotifiers();
        Object m = new Object();
        n.notified(m, "A.java:1", 1);
        assertThat(n.of(m)).isEmpty();
        assertThat(n.notWatched()).isZero();
    }

    @Test
    void theThreadsThatNotifyAMonitorWaitedOnAreKnownMostRecentFirst() throws Exception {
        MonitorNotifiers n = new MonitorNotifiers();
        Object m = new Object();
        n.waitStarted(m, 10);
        Thread other = new Thread(() -> n.notified(m, "B.java:2", 20), "other");
        other.start();
        other.join();
        n.notified(m, "A.java:1", 30);
        n.notified(m, "A.java:1", 40); // the same thread again: one entry, later
        assertThat(n.of(m)).extracting(x -> x.threadName() + " " + x.site() + " " + x.atMillis())
                .containsExactly(Thread.currentThread().getName() + " A.java:1 40", "other B.java:2 20");
        assertThat(n.of(new Object())).isEmpty();
    }

    @Test
    void atMostFourNotifiersAreKeptTheOldestGoesFirst() throws Exception {
        MonitorNotifiers n = new MonitorNotifiers();
        Object m = new Object();
        n.waitStarted(m, 0);
        for (int i = 0; i < 6; i++) {
            long at = 100 + i;
            Thread t = new Thread(() -> n.notified(m, "N.java:" + at, at), "notifier-" + i);
            t.start();
            t.join();
        }
        assertThat(n.of(m)).extracting(MonitorNotifiers.Notifier::threadName)
                .containsExactly("notifier-5", "notifier-4", "notifier-3", "notifier-2");
    }

    @Test
    void theTableIsBoundedAnIdleMonitorMakesRoomAndOneWithoutRoomIsCounted() {
        MonitorNotifiers n = new MonitorNotifiers();
        List<Object> waited = new ArrayList<>();
        for (int i = 0; i < MonitorNotifiers.MAX_MONITORS; i++) {
            Object m = new Object();
            waited.add(m);
            n.waitStarted(m, i);
            n.notified(m, "M.java:" + i, i);
        }
        Object extra = new Object();
        n.waitStarted(extra, 1000); // every slot has a wait in progress
        n.notified(extra, "X.java:1", 1000);
        assertThat(n.notWatched()).isEqualTo(1);
        assertThat(n.of(extra)).isEmpty();

        n.waitEnded(waited.get(7));
        n.waitEnded(waited.get(3));
        n.waitStarted(extra, 2000); // takes the idle slot least recently waited on: monitor 3's
        n.notified(extra, "X.java:1", 2000);
        assertThat(n.of(extra)).hasSize(1);
        assertThat(n.of(waited.get(3))).isEmpty();
        assertThat(n.of(waited.get(7))).hasSize(1);
    }
}
