package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.support.Browser;
import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.json.ReportJson;
import dev.vigil.report.model.Report;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Lock-order cycles and deadlocks on the page, from a hand-made report that follows the lock
 * findings' contract ({@code details.locks}, {@code details.edges}, {@code details.scenario}),
 * including findings whose details are missing or malformed.
 */
class LockFindingsPageTest {

    private static Browser browser;
    private static Path page;

    @TempDir
    static Path dir;

    @BeforeAll
    static void renderFixtureAndStartBrowser() throws Exception {
        Report report = ReportJson.read(fixture("reports/lock-findings.json"));
        page = dir.resolve("vigil-report.html");
        HtmlReport.writeAtomically(report, page);
        browser = Browser.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(LockFindingsPageTest.class.getClassLoader().getResource(name).toURI());
    }

    private static String content(WebElement e) {
        return Browser.content(e);
    }

    private static WebElement card(String fingerprint) {
        return browser.all("#finding-list .finding").stream()
                .filter(c -> content(c.findElement(By.cssSelector(".fp code"))).equals(fingerprint))
                .findFirst().orElseThrow(() -> new AssertionError("no finding " + fingerprint + " on the page"));
    }

    private static List<String> texts(WebElement in, String css) {
        return in.findElements(By.cssSelector(css)).stream().map(LockFindingsPageTest::content).toList();
    }

    @Test
    void predictedCycleShowsItsGraphWithTheCycleHighlightedAndTheTwoColumnScenario() {
        browser.open(page);
        WebElement cycle = card("a1b2c3d4e5f60718");

        assertThat(content(cycle.findElement(By.cssSelector(".mode")))).isEqualTo("predicted: can deadlock");
        assertThat(cycle.findElements(By.cssSelector(".fact"))).as("lock details are drawn, not listed").isEmpty();
        WebElement graph = cycle.findElement(By.cssSelector("svg.lock-graph"));
        assertThat(graph.findElements(By.cssSelector("g.node.cycle"))).extracting(n -> n.getDomAttribute("data-lock"))
                .containsExactly("L1", "L2");
        assertThat(graph.findElements(By.cssSelector("g.edge.cycle")))
                .extracting(e -> e.getDomAttribute("data-from") + "->" + e.getDomAttribute("data-to"))
                .containsExactly("L1->L2", "L2->L1");
        assertThat(texts(graph, "g.edge text")).containsExactly("transfer-a", "transfer-b");
        assertThat(texts(graph, "g.node text")).contains("ReentrantLock Account#from (Trans\u2026");

        assertThat(texts(cycle, "table.scenario th")).containsExactly("Thread 1 (transfer-a)", "Thread 2 (transfer-b)");
        List<WebElement> rows = cycle.findElements(By.cssSelector("table.scenario tbody tr"));
        assertThat(rows).extracting(row -> texts(row, "td")).containsExactly(
                List.of("lock(L1)", ""), List.of("", "lock(L2)"), List.of("lock(L2)", ""), List.of("", "lock(L1)"));

        // Each edge names its thread and the two sites, taken from sites[heldSite] and sites[takenSite].
        List<WebElement> edges = cycle.findElements(By.cssSelector("table.edges tbody tr"));
        assertThat(texts(edges.get(0), "td")).containsExactly("1", "transfer-a #17",
                "L1 (ReentrantLock Account#from (Transfers.java:20))", "Transfers.java:31",
                "L2 (ReentrantLock Account#to (Transfers.java:21))", "Transfers.java:33");
        assertThat(texts(cycle, "details.site > summary")).containsExactly(
                "edge 1: L1 taken at Transfers.java:31", "edge 1: L2 taken while holding L1 at Transfers.java:33",
                "edge 2: L2 taken at Transfers.java:41", "edge 2: L1 taken while holding L2 at Transfers.java:43");
        assertThat(browser.consoleErrors()).isEmpty();
        browser.screenshot("report-lock-findings");
    }

    @Test
    void observedDeadlockHighlightsOnlyTheEdgesOnItsCycle() {
        browser.open(page);
        WebElement deadlock = card("0f1e2d3c4b5a6978");

        assertThat(content(deadlock.findElement(By.cssSelector(".mode")))).isEqualTo("observed in this run");
        assertThat(deadlock.findElements(By.cssSelector("g.node"))).hasSize(4);
        assertThat(deadlock.findElements(By.cssSelector("g.node.cycle"))).extracting(n -> n.getDomAttribute("data-lock"))
                .containsExactly("M1", "M2", "M3");
        assertThat(deadlock.findElements(By.cssSelector("g.edge.cycle"))).hasSize(3);
        assertThat(deadlock.findElements(By.cssSelector("g.edge:not(.cycle)")))
                .extracting(e -> e.getDomAttribute("data-from") + "->" + e.getDomAttribute("data-to"))
                .containsExactly("M1->M4");
        assertThat(texts(deadlock, "table.scenario th")).hasSize(3);
        assertThat(deadlock.findElements(By.cssSelector("table.scenario tbody tr"))).hasSize(6);
    }

    @Test
    void missingOrMalformedDetailsAreSaidPlainlyAndBreakNothing() {
        browser.open(page);
        WebElement broken = card("badbadbadbadbad0");
        assertThat(broken.findElements(By.cssSelector("svg, table.scenario, .fact"))).isEmpty();
        assertThat(content(broken.findElement(By.cssSelector(".lock-missing"))))
                .isEqualTo("Lock graph and scenario not available: the finding carries no usable details.edges.");
        WebElement bare = card("0000000000000001");
        assertThat(bare.findElements(By.cssSelector("svg, table.scenario"))).isEmpty();
        assertThat(bare.findElements(By.cssSelector(".lock-missing"))).hasSize(1);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void findingsAreMostSevereFirstAndFilterByKindAndSeverity() {
        browser.open(page);
        assertThat(browser.all("#finding-list .finding")).extracting(c -> c.getDomAttribute("data-severity"))
                .containsExactly("error", "error", "error", "warning", "warning");
        new Select(browser.find("#kind-filter")).selectByValue("lock-order-cycle");
        assertThat(browser.all("#finding-list .finding")).extracting(c -> c.getDomAttribute("data-kind"))
                .containsExactly("lock-order-cycle", "lock-order-cycle");
        browser.find("#severity-warning").click();
        assertThat(browser.all("#finding-list .finding")).extracting(c -> content(c.findElement(By.cssSelector(".fp code"))))
                .containsExactly("a1b2c3d4e5f60718");
        assertThat(content(browser.find("#finding-count"))).isEqualTo("1 of 5 findings");
        browser.find("#finding-search").sendKeys("account#to");
        assertThat(browser.all("#finding-list .finding")).hasSize(1);
    }

    @Test
    void pageLoadsNothingAndItsPolicyBlocksAnyLoadOrInjectedScript() {
        browser.open(page);
        assertThat(browser.requestsBesides(page)).isEmpty();
        assertThat(browser.js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);

        // The policy is in force: a load or an inline script added to the page is refused.
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        @SuppressWarnings("unchecked")
        Map<String, Object> seen = (Map<String, Object>) browser.driver().executeAsyncScript(
                "var done = arguments[arguments.length - 1], directives = [];"
                + "document.addEventListener('securitypolicyviolation', function (e) {"
                + "  directives.push(e.effectiveDirective);"
                + "  if (directives.length === 3) done({directives: directives.sort(), ran: !!window.__injected});"
                + "});"
                + "var img = document.createElement('img'); img.src = 'http://127.0.0.1:9/probe.png'; document.body.appendChild(img);"
                + "fetch('http://127.0.0.1:9/probe').catch(function () {});"
                + "var s = document.createElement('script'); s.textContent = 'window.__injected = true'; document.body.appendChild(s);");
        assertThat(seen.get("directives")).asList().containsExactly("connect-src", "img-src", "script-src-elem");
        assertThat(seen.get("ran")).isEqualTo(false);
    }
}
