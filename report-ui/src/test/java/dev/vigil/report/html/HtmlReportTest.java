package dev.vigil.report.html;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.report.model.AgentInfo;
import dev.vigil.report.model.Finding;
import dev.vigil.report.model.Frame;
import dev.vigil.report.model.Report;
import dev.vigil.report.model.RunInfo;
import dev.vigil.report.model.Severity;
import dev.vigil.report.model.Site;
import dev.vigil.report.model.ThreadRef;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)></script><script>alert(2)</script><!--";

    private static Report report(String threadName, String command) {
        ThreadRef t = new ThreadRef(7, threadName, true, true, "TIMED_WAITING",
                List.of(new Frame("a.B", "run", "B.java", 3, true)));
        Finding leak = new Finding("thread-leak", Severity.WARNING, "0123456789abcdef", "1 thread " + threadName,
                "message \u2028 with line separators \u2029", "fix it", List.of(t),
                List.of(new Site("started", "B.java:3", List.of(new Frame("a.B", "<init>", "B.java", 3, true)))),
                Map.of("count", 1));
        Finding error = new Finding("deadlock", Severity.ERROR, "fedcba9876543210", "a deadlock", "m", null,
                List.of(), List.of(), Map.of());
        RunInfo run = new RunInfo(42, command, "OpenJDK 64-Bit Server VM", "17.0.15",
                "2026-01-01T00:00:00Z", "2026-01-01T00:00:03.250Z", "exit", Map.of());
        AgentInfo agent = new AgentInfo("0.1.0", 0, List.of(), List.of("java.lang.Thread"), "passed", "bootstrap",
                Map.of("threads", 0L));
        return new Report(Report.SCHEMA_VERSION, run, List.of(leak, error), List.of(), agent);
    }

    private static String dataBlock(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"vigil-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(html);
        assertThat(m.find()).as("the page embeds the report").isTrue();
        return m.group(1);
    }

    @Test
    void embeddedReportCannotCloseItsScriptElementAndParsesBackToTheSameStrings() throws Exception {
        String html = HtmlReport.render(report(HOSTILE, "app.Main"));
        String data = dataBlock(html);

        assertThat(data).doesNotContain("<", ">", "&", "\u2028", "\u2029");
        JsonNode root = new ObjectMapper().readTree(data);
        JsonNode leak = root.get("findings").get(1);
        assertThat(leak.get("threads").get(0).get("name").asText()).isEqualTo(HOSTILE);
        assertThat(leak.get("message").asText()).isEqualTo("message \u2028 with line separators \u2029");
    }

    @Test
    void scriptSafeWriterEscapesWhateverWayTheTextArrives() throws Exception {
        java.io.StringWriter sink = new java.io.StringWriter();
        try (HtmlReport.ScriptSafeWriter w = new HtmlReport.ScriptSafeWriter(sink)) {
            w.write('<');
            w.write("a>b&c".toCharArray(), 1, 4);
            w.write("x\u2028y\u2029</script>", 0, 13);
        }
        assertThat(sink.toString()).isEqualTo("\\u003c\\u003eb\\u0026cx\\u2028y\\u2029\\u003c/script\\u003e");
    }

    @Test
    void findingsAreEmbeddedMostSevereFirst() throws Exception {
        JsonNode root = new ObjectMapper().readTree(dataBlock(HtmlReport.render(report("t", "app.Main"))));
        assertThat(root.get("findings").get(0).get("severity").asText()).isEqualTo("error");
        assertThat(root.get("findings").get(1).get("severity").asText()).isEqualTo("warning");
    }

    @Test
    void serverRenderedStringsAreEscaped() {
        String html = HtmlReport.render(report("t", HOSTILE));
        assertThat(html).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        // The only script elements are the data block and the page's own script.
        assertThat(Pattern.compile("<script").matcher(html).results().count()).isEqualTo(2);
    }

    @Test
    void theRecordedHashesAreThoseOfTheShippedScriptAndStyle() {
        assertThat(HtmlReport.recordedHash("script")).as("report.hashes: script line, after report.js changed")
                .isEqualTo(sha256(HtmlReport.SCRIPT));
        assertThat(HtmlReport.recordedHash("style")).as("report.hashes: style line, after report.css changed")
                .isEqualTo(sha256(HtmlReport.STYLE));
    }

    private static String sha256(String text) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256-" + java.util.Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void policyForbidsNetworkAndAllowsExactlyThePagesOwnScriptAndStyle() {
        String html = HtmlReport.render(report("t", "app.Main"));
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">").matcher(html);
        assertThat(csp.find()).isTrue();
        String policy = csp.group(1);
        assertThat(policy).startsWith("default-src 'none';").doesNotContain("unsafe-inline", "unsafe-eval", "http", "*");

        Matcher script = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(script.find()).isTrue();
        assertThat(policy).contains("script-src '" + sha256(script.group(1)) + "'");
        Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
        assertThat(style.find()).isTrue();
        assertThat(policy).contains("style-src '" + sha256(style.group(1)) + "'");
    }

    @Test
    void summaryShowsRunCountsAndAgentHealth() {
        String html = HtmlReport.render(report("t", "app.Main"));
        assertThat(html).contains("<dt>Command</dt><dd>app.Main</dd>", "<dt>PID</dt><dd>42</dd>",
                "<dt>Duration</dt><dd>3.3 s</dd>", "<dt>Trigger</dt><dd>exit</dd>",
                "data-count-severity=\"error\">1 error", "data-count-severity=\"warning\">1 warning",
                "data-count-severity=\"info\">0 info", "self-test: <b>passed</b>", "internal errors: <b>0</b>",
                "nothing truncated");
    }

    @Test
    void unhealthyAgentIsFlaggedWithItsErrorsAndWhatWasDropped() {
        AgentInfo sick = new AgentInfo("0.1.0", 2, List.of("hook <failed>"), List.of(), "failed: thread hook",
                "app", Map.of("endedThreadsForgotten", 12L, "threadStartSitesTruncated", 0L));
        String html = HtmlReport.render(new Report(Report.SCHEMA_VERSION, null, List.of(), List.of(), sick));
        String header = html.substring(html.indexOf("<header"), html.indexOf("</header>"));
        assertThat(header).contains("class=\"agent unhealthy\"", "self-test: <b>failed: thread hook</b>",
                "internal errors: <b>2</b>", "<span>endedThreadsForgotten 12</span>", "<code>hook &lt;failed&gt;</code>")
                .doesNotContain("threadStartSitesTruncated", "nothing truncated");
    }

    @Test
    void durationIsOmittedWhenAnEndIsMissingOrUnreadable() {
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", null)).isNull();
        assertThat(HtmlReport.duration("yesterday", "2026-01-01T00:00:00Z")).isNull();
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", "2026-01-01T00:02:05Z")).isEqualTo("2 min 5 s");
    }

    @Test
    void aDurationUnderAMinuteIsInSecondsToATenthRoundedHalfUp() {
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.040Z")).isEqualTo("0.0 s");
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:00.950Z")).isEqualTo("1.0 s");
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:12.349Z")).isEqualTo("12.3 s");
        assertThat(HtmlReport.duration("2026-01-01T00:00:00Z", "2026-01-01T00:00:59.999Z")).isEqualTo("60.0 s");
    }

    @Test
    void serverRenderedControlAndBidiCharactersBecomeVisibleEscapes() {
        String hostile = "cmd\u202eIgnore\u2066x\u2069\u0000\u001b[31m\u0085";
        String html = HtmlReport.render(report("t", hostile));
        String header = html.substring(html.indexOf("<header"), html.indexOf("</header>"));
        assertThat(header).contains("<dd>cmd\\u202eIgnore\\u2066x\\u2069\\u0000\\u001b[31m\\u0085</dd>");
        String outsideData = html.replaceAll("(?s)<script type=\"application/json\".*?</script>", "");
        assertThat(outsideData).doesNotContain("\u202e", "\u2066", "\u2069", "\u0000", "\u001b", "\u0085");
        assertThat(Html.escape("line\nbreak\tand tab")).isEqualTo("line\nbreak\tand tab");
    }

    @Test
    void theScriptShowsControlsAsEscapesAndTheStyleIsolatesReportStrings() {
        // report.js puts every report string through inert() (checked in a browser by HostileNamesTest).
        assertThat(HtmlReport.SCRIPT).contains("function inert(v)", "e.textContent = inert(text)");
        assertThat(HtmlReport.STYLE).contains("unicode-bidi:isolate");
    }

    @Test
    void thePagesOwnScriptCannotEndItsElementEarly() {
        assertThat(HtmlReport.SCRIPT.toLowerCase()).doesNotContain("</script", "<!--", "innerhtml", "outerhtml", "insertadjacenthtml", "document.write", "eval(");
        assertThat(HtmlReport.STYLE.toLowerCase()).doesNotContain("</style");
    }
}
