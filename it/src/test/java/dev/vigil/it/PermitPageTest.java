package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.Browser;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.Jdk;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

/** The semaphore table of the HTML page, on real runs of the permit examples, in headless chromium. */
class PermitPageTest {

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

    private void runAndOpen(String mainClass) {
        ChildJvm.Result r = ChildJvm.on(Jdk.current(), work).main(mainClass).run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        browser.open(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void semaphoreTableShowsTheLimitWhatIsFreeAndTheOverReleases() {
        runAndOpen("dev.vigil.examples.permits.DoubleRelease");
        List<WebElement> rows = browser.all("#semaphores table.semaphores tbody tr");
        assertThat(rows).hasSize(1);
        List<String> cells = rows.get(0).findElements(org.openqa.selenium.By.tagName("td")).stream()
                .map(Browser::content).toList();
        assertThat(cells.get(0)).startsWith("Semaphore@");
        assertThat(cells.get(1)).isEqualTo(dev.vigil.it.support.ExampleSource.expectedLocation(
                "dev.vigil.examples.permits.DoubleRelease", "semaphore-created"));
        assertThat(cells.get(2)).startsWith("DoubleRelease.java:");
        assertThat(cells.subList(3, 10)).containsExactly("4 of 2", "0", "0", "0", "4", "6", "2");
        assertThat(browser.all("#finding-list .finding")).hasSize(1);
    }

    @Test
    void noSemaphoresNoTable() {
        runAndOpen("dev.vigil.examples.locks.UnlockInFinally");
        assertThat(browser.all("#semaphores")).isEmpty();
    }
}
