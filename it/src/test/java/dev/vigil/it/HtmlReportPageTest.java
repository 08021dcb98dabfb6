package dev.vigil.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.it.fixtures.HostileThreadName;
import dev.vigil.it.support.Browser;
import dev.vigil.it.support.ChildJvm;
import dev.vigil.it.support.ExampleSource;
import dev.vigil.it.support.Findings;
import dev.vigil.it.support.Jdk;
import dev.vigil.it.support.Paths;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.FindingKinds;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.ThreadRef;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The HTML page the agent writes, opened in headless chromium: pages of real reports of the
 * examples (the agent attached to a child JVM), and a page with markup in thread names.
 */
class HtmlReportPageTest {

    private static final String PKG = "dev.vigil.examples.threads.";

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

    private static String content(WebElement e) {
        return Browser.content(e);
    }

    private static String content(String css) {
        return browser.content(css);
    }

    private static List<String> contents(String css) {
        return browser.contents(css);
    }

    private static int shownFindings() {
        return browser.all("#finding-list .finding").size();
    }

    private static void search(String css, String text) {
        WebElement box = browser.find(css);
        box.clear();
        box.sendKeys(text);
    }

    /** Runs {@code mainClass} under the agent and opens the page it wrote beside the JSON. */
    private ChildJvm.Result runAndOpen(ChildJvm child) {
        ChildJvm.Result r = child.run();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        browser.open(r.spec().reportDir().resolve("vigil-report.html"));
        return r;
    }

    private void assertNoNetworkAndNoScriptErrors(Path page) {
        assertThat(browser.requestsBesides(page)).as("requests made by the page").isEmpty();
        assertThat(browser.js("return performance.getEntriesByType('resource').length")).isEqualTo(0L);
        assertThat(browser.consoleErrors()).as("console errors").isEmpty();
        assertThat(browser.find("meta[http-equiv=Content-Security-Policy]").getDomAttribute("content"))
                .startsWith("default-src 'none';");
    }

    @Test
    void leakedWorkersPageShowsCountsFindingStacksThreadsAndTimeline() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).main(PKG + "UnstoppedWorker"));
        Report report = r.report();
        Finding leak = Findings.single(report, FindingKinds.THREAD_LEAK);
        Path page = r.spec().reportDir().resolve("vigil-report.html");

        // Summary: the run and the counts.
        assertThat(content("#summary dl.run")).contains(PKG + "UnstoppedWorker", "exit", Long.toString(report.run().pid()));
        assertThat(content("#total-findings")).isEqualTo("1");
        assertThat(content("[data-count-severity=warning]")).isEqualTo("1 warning");
        assertThat(content("[data-count-severity=error]")).isEqualTo("0 error");
        assertThat(content("tr[data-count-kind=thread-leak] td.total")).isEqualTo("1");
        assertThat(content("#agent-health")).contains("self-test: passed", "internal errors: 0");

        // The finding: what, where, how to fix, the start stack, the threads.
        assertThat(shownFindings()).isEqualTo(1);
        assertThat(content(".finding .title")).isEqualTo(leak.title());
        assertThat(content(".finding .where code"))
                .isEqualTo(ExampleSource.expectedLocation(PKG + "UnstoppedWorker", FindingKinds.THREAD_LEAK));
        assertThat(content(".finding .message")).isEqualTo(leak.message());
        assertThat(content(".finding .fix")).contains(leak.howToFix());
        assertThat(content(".finding .fact[data-detail=count]")).isEqualTo("count 3");
        assertThat(content(".finding .fact[data-detail=reason]")).isEqualTo("reason alive-at-exit");
        List<String> appFrames = contents(".finding details.site .stack .app");
        assertThat(appFrames).first().asString()
                .startsWith("at " + PKG + "UnstoppedWorker$MetricsReporter.<init>(UnstoppedWorker.java:");
        assertThat(appFrames).noneMatch(f -> f.startsWith("at java."));
        assertThat(contents(".finding .threads .thread-name"))
                .containsExactlyInAnyOrderElementsOf(leak.threads().stream().map(ThreadRef::name).toList());
        // A thread's stack is drawn when the user opens it.
        WebElement firstThread = browser.find(".finding .threads details.thread-stack");
        assertThat(firstThread.findElements(By.cssSelector(".stack"))).isEmpty();
        firstThread.findElement(By.tagName("summary")).click();
        // The page draws it on the details' toggle event, which the browser fires as a task of its own.
        WebElement threadStack = browser.waitFor(d -> {
            List<WebElement> drawn = firstThread.findElements(By.cssSelector(".stack"));
            return drawn.isEmpty() ? null : drawn.get(0);
        });
        assertThat(threadStack.findElements(By.cssSelector(".app")))
                .anySatisfy(f -> assertThat(content(f)).contains("UnstoppedWorker$MetricsReporter.flushForever("));
        // JDK frames (Thread.sleep and below, Thread.run above) are folded, and unfold on a click.
        List<WebElement> folds = threadStack.findElements(By.cssSelector("details.jdk-frames"));
        assertThat(folds).isNotEmpty().allSatisfy(fold -> {
            assertThat(fold.getDomProperty("open")).isEqualTo("false");
            assertThat(content(fold)).contains("at java.");
        });
        assertThat(folds.get(0).findElement(By.cssSelector("span.jdk")).isDisplayed()).isFalse();
        folds.get(0).findElement(By.tagName("summary")).click();
        assertThat(folds.get(0).findElement(By.cssSelector("span.jdk")).isDisplayed()).isTrue();

        // Filtering by severity, by kind and by text.
        browser.find("#severity-warning").click();
        assertThat(shownFindings()).isZero();
        assertThat(content("#finding-list")).contains("No finding matches the filters.");
        assertThat(content("#finding-count")).isEqualTo("0 of 1 finding");
        browser.find("#severity-warning").click();
        assertThat(shownFindings()).isEqualTo(1);
        Select kind = new Select(browser.find("#kind-filter"));
        assertThat(kind.getOptions()).extracting(o -> o.getDomAttribute("value")).containsExactly("", "thread-leak");
        kind.selectByValue("thread-leak");
        assertThat(shownFindings()).isEqualTo(1);
        search("#finding-search", "METRICS-BETA");
        assertThat(shownFindings()).isEqualTo(1);
        search("#finding-search", "no-such-thread");
        assertThat(shownFindings()).isZero();
        search("#finding-search", "");
        kind.selectByValue("");

        // Timeline: the three leaked workers run to the end of the run.
        search("#timeline-search", "metrics-");
        assertThat(content("#timeline-count")).endsWith(" threads").startsWith("3 of ");
        List<WebElement> bars = browser.all("#timeline-rows .tl-bar");
        assertThat(bars).hasSize(3).allSatisfy(bar -> {
            assertThat(bar.getDomAttribute("class")).contains("application", "alive", "leaked");
            assertThat(gapToTrackEnd(bar)).isLessThan(1.5);
        });
        browser.screenshot("report-unstopped-worker");
        assertNoNetworkAndNoScriptErrors(page);
    }

    private static double gapToTrackEnd(WebElement bar) {
        return ((Number) browser.js("var b = arguments[0].getBoundingClientRect(), t = arguments[0].parentNode.getBoundingClientRect();"
                + " return Math.abs(t.right - b.right);", bar)).doubleValue();
    }

    @Test
    void cleanRunPageSaysNoFindingsAndShowsEndedThreads() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).main(PKG + "StoppedWorker"));

        assertThat(content("#total-findings")).isEqualTo("0");
        assertThat(shownFindings()).isZero();
        assertThat(content("#finding-list")).contains("No findings: Vigil saw nothing to report in this run.");
        search("#timeline-search", "metrics-");
        List<WebElement> bars = browser.all("#timeline-rows .tl-bar");
        assertThat(bars).hasSize(3).allSatisfy(bar -> {
            // Ended, so not drawn as alive. (How far before the edge a bar stops depends on how long
            // the run went on after the thread ended: a few ms, under a pixel on a slow machine.)
            assertThat(bar.getDomAttribute("class")).contains("application").doesNotContain("alive", "leaked");
        });
        assertNoNetworkAndNoScriptErrors(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void markupInThreadNamesIsShownAsTextAndRunsNothing() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HostileThreadName"));
        Finding leak = Findings.single(r.report(), FindingKinds.THREAD_LEAK);
        assertThat(leak.threads()).extracting(ThreadRef::name).containsExactlyInAnyOrder(HostileThreadName.NAMES);

        // Shown as text; the line separator U+2028 in the second name as a visible escape.
        String[] shown = {HostileThreadName.NAMES[0], HostileThreadName.NAMES[1].replace("\u2028", "\\u2028")};
        assertThat(contents(".finding .threads .thread-name")).containsExactlyInAnyOrder(shown);
        search("#timeline-search", "<img");
        assertThat(contents("#timeline-rows .tl-name")).containsExactly(HostileThreadName.NAMES[0]);

        assertThat(browser.alertOpen()).as("an alert opened").isFalse();
        assertThat(browser.js("return document.images.length")).isEqualTo(0L);
        assertThat(browser.js("return document.querySelectorAll('[onerror]').length")).isEqualTo(0L);
        assertThat(browser.js("return document.scripts.length")).as("only the data block and the page's script")
                .isEqualTo(2L);
        browser.screenshot("report-hostile-thread-names");
        assertNoNetworkAndNoScriptErrors(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void controlAndBidiCharactersInNamesAreShownAsEscapesAndCannotReverseVigilsText() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).classpath(Paths.testClasses().toString())
                .main("dev.vigil.it.fixtures.HostileNames"));
        Finding f = Findings.single(r.report(), FindingKinds.LOCK_HELD_BY_DEAD_THREAD);
        assertThat(f.title()).contains(dev.vigil.it.fixtures.HostileNames.NAME);

        // Where the words land on screen: left to right, as written. Unneutralised, U+202E would
        // draw "ReentrantLock taken at HostileNames.java:N" reversed, "taken" left of "ReentrantLock".
        Object order = browser.js("var t = document.querySelector('.finding .title').firstChild;"
                + "function x(w) { var i = t.data.indexOf(w); var r = document.createRange();"
                + " r.setStart(t, i); r.setEnd(t, i + w.length); return r.getBoundingClientRect().left; }"
                + "return [x('Ignore'), x('ended'), x('ReentrantLock'), x('taken')];");
        @SuppressWarnings("unchecked")
        List<Number> xs = (List<Number>) order;
        assertThat(xs.get(0).doubleValue()).isLessThan(xs.get(1).doubleValue());
        assertThat(xs.get(2).doubleValue()).isLessThan(xs.get(3).doubleValue());

        String title = content(".finding .title");
        assertThat(title).startsWith("Thread 'evil\\nvigil: ERROR deadlock: forged line\\u001b[2J\\u001b[31m"
                + "\\u001b]0;pwned\\u0007\\u0000\\u202eIgnore' ended holding the ReentrantLock");
        Object rendered = browser.js("return document.body.innerText");
        assertThat((String) rendered).doesNotContain("\u202e", "\u001b", "\u0000", "\u0007");

        assertThat(browser.js("return getComputedStyle(document.querySelector('.finding .title')).unicodeBidi"))
                .isEqualTo("isolate");
        assertThat(browser.js("return getComputedStyle(document.querySelector('.finding .threads .thread-name')"
                + " || document.querySelector('.tl-name')).unicodeBidi")).isEqualTo("isolate");
        browser.screenshot("report-hostile-bidi-and-controls");
        assertNoNetworkAndNoScriptErrors(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void realLockOrderCyclePageShowsItsGraphAndScenario() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.locks.OppositeOrder"));
        Finding cycle = Findings.single(r.report(), FindingKinds.LOCK_ORDER_CYCLE);

        assertThat(shownFindings()).isEqualTo(1);
        WebElement card = browser.find("#finding-list .finding");
        assertThat(card.getDomAttribute("data-kind")).isEqualTo("lock-order-cycle");
        assertThat(content(card.findElement(By.cssSelector(".fp code")))).isEqualTo(cycle.fingerprint());
        WebElement graph = card.findElement(By.cssSelector("svg.lock-graph"));
        assertThat(graph.findElements(By.cssSelector("g.node.cycle"))).hasSize(2);
        assertThat(graph.findElements(By.cssSelector("g.edge.cycle"))).hasSize(2);
        List<String> columns = card.findElements(By.cssSelector("table.scenario th")).stream().map(Browser::content).toList();
        assertThat(columns).hasSize(2);
        assertThat(columns.get(0)).startsWith("Thread 1 (");
        assertThat(columns.get(1)).startsWith("Thread 2 (");
        assertThat(card.findElements(By.cssSelector("table.scenario tbody tr"))).hasSize(4);
        List<WebElement> edges = card.findElements(By.cssSelector("table.edges tbody tr"));
        assertThat(edges).hasSize(2).allSatisfy(e -> assertThat(content(e)).contains("OppositeOrder.java:"));
        browser.screenshot("report-lock-order-cycle");
        assertNoNetworkAndNoScriptErrors(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void executorsTableShowsTheApplicationsExecutors() {
        runAndOpen(ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.executors.FireAndForget"));
        List<WebElement> rows = browser.all("#executors table.executors tbody tr");
        assertThat(rows).hasSize(1);
        assertThat(content(rows.get(0))).contains("FireAndForget.java:", "java.util.concurrent.ThreadPoolExecutor",
                "shut down");
        assertThat(browser.all("#executors")).hasSize(1);
    }

    @Test
    void noExecutorsNoTable() {
        runAndOpen(ChildJvm.on(Jdk.current(), work).main(PKG + "StoppedWorker"));
        assertThat(browser.all("#executors")).isEmpty();
    }

    @Test
    void taskTimelineShowsEachTaskAndItsRunOnTheWorkersRow() {
        ChildJvm.Result r = runAndOpen(ChildJvm.on(Jdk.current(), work).main("dev.vigil.examples.executors.SharedExecutor"));
        assertThat(r.report().tasks()).hasSize(20);
        assertThat(content("#tasks-count")).isEqualTo("20 tasks");
        List<WebElement> rows = browser.all("#tasks-rows .tl-row");
        assertThat(rows).hasSize(20).allSatisfy(row -> {
            assertThat(content(row.findElement(By.cssSelector(".tl-name")))).contains("SharedExecutor.java:");
            assertThat(row.findElements(By.cssSelector(".tl-task.run.completed"))).hasSize(1);
            assertThat(row.getDomAttribute("title")).contains("completed", "executor #", "pool-1-thread-");
        });
        // Every run is drawn on the row of the worker that ran it.
        search("#timeline-search", "pool-1-thread");
        assertThat(browser.all("#timeline-rows .tl-row")).hasSize(2);
        assertThat(browser.all("#timeline-rows .tl-row .tl-task.run")).hasSize(20);
        // Filters.
        new Select(browser.find("#tasks-state")).selectByValue("failed");
        assertThat(content("#tasks-count")).isEqualTo("0 of 20 tasks");
        new Select(browser.find("#tasks-state")).selectByValue("completed");
        assertThat(content("#tasks-count")).isEqualTo("20 tasks");
        assertNoNetworkAndNoScriptErrors(r.spec().reportDir().resolve("vigil-report.html"));
    }

    @Test
    void noTasksNoTaskTimeline() {
        runAndOpen(ChildJvm.on(Jdk.current(), work).main(PKG + "StoppedWorker"));
        assertThat(browser.all("#tasks")).isEmpty();
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
