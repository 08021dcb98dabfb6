package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.Browser;
import dev.vigil.it.support.LargeReport;
import dev.vigil.report.html.HtmlReport;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.support.ui.Select;

/**
 * 10,000 findings and 100,000 threads: the page draws a page of findings at a time and only the
 * timeline rows in view, and filters over everything. No timing is asserted here (see
 * {@code HtmlReportMeasurement} and docs/PERFORMANCE.md for the figures).
 */
class LargeReportPageTest {

    static final int FINDINGS = 10_000;
    static final int THREADS = 100_000;

    private static Browser browser;
    private static Path page;

    @TempDir
    static Path dir;

    @BeforeAll
    static void render() throws Exception {
        page = dir.resolve("vigil-report.html");
        HtmlReport.writeAtomically(LargeReport.of(FINDINGS, THREADS), page);
        browser = Browser.start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String content(String css) {
        return browser.content(css);
    }

    private static int cards() {
        return browser.all("#finding-list .finding").size();
    }

    @Test
    void findingsArePagedAndFilteredOverTheWholeReport() {
        browser.open(page);
        assertThat(content("#total-findings")).isEqualTo("10000");
        assertThat(content("#finding-count")).isEqualTo("10,000 findings");
        assertThat(cards()).isEqualTo(100);
        browser.find("#more-findings").click();
        assertThat(cards()).isEqualTo(200);
        assertThat(content("#more-findings")).isEqualTo("Show 100 more (9,800 not shown)");

        browser.find("#finding-search").sendKeys(LargeReport.needle(7777) + ")");
        assertThat(cards()).isEqualTo(1);
        assertThat(content("#finding-list .finding .message")).contains(LargeReport.needle(7777));
        browser.find("#finding-search").clear();
        browser.find("#finding-search").sendKeys(" ");
        new Select(browser.find("#kind-filter")).selectByValue("deadlock");
        long deadlocks = IntStream.range(0, FINDINGS).filter(i -> i % 7 == 2).count();
        assertThat(content("#finding-count")).isEqualTo(String.format("%,d of 10,000 findings", deadlocks));
        assertThat(browser.all("#finding-list .finding svg.lock-graph")).hasSize(100);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void timelineKeepsOnlyTheRowsInViewAndFiltersAllThreads() {
        browser.open(page);
        assertThat(content("#timeline-count")).isEqualTo("100,000 threads");
        assertThat(browser.all("#timeline-rows .tl-row")).hasSizeBetween(20, 60);

        // Scrolled to the middle: the rows drawn are the ones there.
        browser.js("var s = document.getElementById('timeline-rows'); s.scrollTop = 50000 * 20;"
                + " s.dispatchEvent(new Event('scroll'));");
        assertThat(browser.all("#timeline-rows .tl-row")).hasSizeBetween(20, 60).allSatisfy(row -> {
            double top = Double.parseDouble(row.getCssValue("top").replace("px", ""));
            assertThat(top).isBetween(50000 * 20 - 20 * 20.0, 50000 * 20 + 60 * 20.0);
        });

        browser.find("#timeline-alive").click();
        long alive = IntStream.range(0, THREADS).filter(i -> LargeReport.alive(100 + i)).count();
        assertThat(content("#timeline-count")).isEqualTo(String.format("%,d of 100,000 threads", alive));
        assertThat(browser.all("#timeline-rows .tl-bar")).isNotEmpty()
                .allSatisfy(bar -> assertThat(bar.getDomAttribute("class")).contains("alive"));
        browser.find("#timeline-search").sendKeys("worker-99907");
        assertThat(browser.all("#timeline-rows .tl-name")).extracting(e -> e.getDomProperty("textContent"))
                .containsExactly("worker-99907");
        browser.screenshot("report-large");
    }
}
