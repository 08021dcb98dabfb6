package dev.vigil.it;

import dev.vigil.it.support.Browser;
import dev.vigil.it.support.LargeReport;
import dev.vigil.report.html.HtmlReport;
import dev.vigil.report.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, asserts nothing: how long headless chromium takes to draw and to filter the page of a
 * report with 10,000 findings and 100,000 threads. Excluded from the build (see it/pom.xml); run
 * it with {@code scripts/measure-html-report.sh}, which prints the table for docs/PERFORMANCE.md.
 */
class HtmlReportMeasurement {

    private static final int RUNS = 3;

    @TempDir
    Path dir;

    /** Script time of one UI action and the time until the next frame was painted, in ms. */
    private static final String ACTION = "var done = arguments[arguments.length - 1], act = arguments[0];"
            + "var t0 = performance.now();"
            + "if (act.kind === 'input') { var e = document.getElementById(act.id); e.value = act.value;"
            + "  e.dispatchEvent(new Event('input')); }"
            + "else if (act.kind === 'select') { var e = document.getElementById(act.id); e.value = act.value;"
            + "  e.dispatchEvent(new Event('change')); }"
            + "else if (act.kind === 'click') { document.getElementById(act.id).click(); }"
            + "else if (act.kind === 'scroll') { var e = document.getElementById(act.id); e.scrollTop = act.value;"
            + "  e.dispatchEvent(new Event('scroll')); }"
            + "var t1 = performance.now();"
            + "requestAnimationFrame(function () { setTimeout(function () { done([t1 - t0, performance.now() - t0]); }, 0); });";

    record Action(String name, java.util.Map<String, Object> args) {
    }

    @Test
    void measure() throws IOException {
        Report report = LargeReport.of(LargeReportPageTest.FINDINGS, LargeReportPageTest.THREADS);
        Path page = dir.resolve("vigil-report.html");
        long t0 = System.nanoTime();
        HtmlReport.writeAtomically(report, page);
        long renderMs = (System.nanoTime() - t0) / 1_000_000;

        List<Action> actions = List.of(
                new Action("search findings, first time (builds the search text)", java.util.Map.of("kind", "input", "id", "finding-search", "value", "needle-7777")),
                new Action("search findings again", java.util.Map.of("kind", "input", "id", "finding-search", "value", "service17.java")),
                new Action("clear the search (all 10,000 match)", java.util.Map.of("kind", "input", "id", "finding-search", "value", "")),
                new Action("filter by kind (deadlock)", java.util.Map.of("kind", "select", "id", "kind-filter", "value", "deadlock")),
                new Action("show 100 more findings", java.util.Map.of("kind", "click", "id", "more-findings")),
                new Action("filter timeline by name", java.util.Map.of("kind", "input", "id", "timeline-search", "value", "worker-4242")),
                new Action("clear timeline filter (100,000 rows)", java.util.Map.of("kind", "input", "id", "timeline-search", "value", "")),
                new Action("timeline: alive threads only", java.util.Map.of("kind", "click", "id", "timeline-alive")),
                new Action("scroll timeline", java.util.Map.of("kind", "scroll", "id", "timeline-rows", "value", 20_000)));

        StringBuilder out = new StringBuilder();
        try (Browser browser = Browser.start()) {
            browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
            String version = browser.driver().getCapabilities().getBrowserVersion();
            out.append(String.format(Locale.ROOT, "date: %s%nbrowser: headless Chromium %s (chromedriver, Selenium)%n"
                    + "machine: %d cores, %s %s; JDK %s%npage: %,d findings, %,d threads, %.1f MB; rendered by HtmlReport in %d ms%n%n",
                    Instant.now(), version, Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), Runtime.version(), report.findings().size(), report.threads().size(),
                    Files.size(page) / 1e6, renderMs));
            List<List<String>> rows = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                List<String> col = new ArrayList<>();
                browser.open(page);
                Object[] load = ((List<?>) browser.js("var fcp = performance.getEntriesByName('first-contentful-paint')[0];"
                        + "return [fcp ? fcp.startTime : -1, performance.getEntriesByName('vigil-script-start')[0].startTime,"
                        + " performance.getEntriesByName('vigil-data-parsed')[0].startTime,"
                        + " performance.getEntriesByName('vigil-ready')[0].startTime];")).toArray();
                col.add(ms(((Number) load[0]).doubleValue()));
                col.add(ms(((Number) load[1]).doubleValue()));
                col.add(ms(((Number) load[2]).doubleValue()));
                col.add(ms(((Number) load[3]).doubleValue()));
                for (Action a : actions) {
                    List<?> t = (List<?>) browser.driver().executeAsyncScript(ACTION, a.args());
                    col.add(ms(((Number) t.get(0)).doubleValue()) + " / " + ms(((Number) t.get(1)).doubleValue()));
                }
                rows.add(col);
            }
            List<String> names = new ArrayList<>(List.of("first contentful paint: the summary (since navigation start)",
                    "HTML read, page script starts (since navigation start)", "embedded JSON parsed (since navigation start)", "findings and timeline drawn (since navigation start)"));
            actions.forEach(a -> names.add(a.name() + " (script / next frame)"));
            out.append("| step | ").append(String.join(" | ", java.util.stream.IntStream.rangeClosed(1, RUNS)
                    .mapToObj(i -> "run " + i).toList())).append(" |\n|---|").append("---|".repeat(RUNS)).append('\n');
            for (int i = 0; i < names.size(); i++) {
                out.append("| ").append(names.get(i));
                for (List<String> col : rows) {
                    out.append(" | ").append(col.get(i));
                }
                out.append(" |\n");
            }
        }
        Path result = Path.of("target/html-report-performance.md").toAbsolutePath();
        Files.writeString(result, out);
        System.out.println(out);
        System.out.println("written to " + result);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.0f ms", v);
    }
}
