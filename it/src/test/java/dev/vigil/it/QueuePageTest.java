package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.Browser;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.report.model.FindingKinds;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The HTML page's queue table, in a real headless browser, on real runs. */
class QueuePageTest {

    private static final String QUEUES = "dev.vigil.examples.queues.";

    private static Browser browser;

    @TempDir
    Path work;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void queueTableShowsTheOrphanedQueueWithItsEndedConsumer() {
        ChildJvm spec = ChildJvm.on(Jdk.current(), work).main(QUEUES + "DyingConsumer");
        ChildJvm.Running child = spec.start();
        try {
            child.awaitReport(r -> !Findings.ofKind(r, FindingKinds.QUEUE_ORPHAN).isEmpty());
            Path page = spec.reportDir().resolve("vigil-report.html");
            browser.open(page);
            List<WebElement> rows = browser.all("#queues table.queues tbody tr");
            assertThat(rows).hasSize(1);
            List<WebElement> cells = rows.get(0).findElements(org.openqa.selenium.By.tagName("td"));
            assertThat(Browser.content(cells.get(0)))
                    .isEqualTo(ExampleSource.expectedLocation(QUEUES + "DyingConsumer", "queue-orphan-created"));
            assertThat(Browser.content(cells.get(1))).isEqualTo("java.util.concurrent.ArrayBlockingQueue");
            assertThat(Browser.content(cells.get(2))).isEqualTo("2");
            assertThat(Browser.content(cells.get(3))).isEqualTo("2");
            assertThat(Browser.content(cells.get(4))).isEqualTo("2");
            assertThat(Browser.content(cells.get(5))).isEqualTo("main (alive)");
            assertThat(Browser.content(cells.get(6))).isEqualTo("resize-worker (ended)");
            assertThat(browser.all("#queues span.party.ended")).hasSize(1);
            assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        } finally {
            child.kill();
        }
    }

    @Test
    void noQueuesNoTable() {
        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.threads.StoppedWorker").run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        browser.open(r.spec().reportDir().resolve("vigil-report.html"));
        assertThat(browser.all("#queues")).isEmpty();
    }
}
