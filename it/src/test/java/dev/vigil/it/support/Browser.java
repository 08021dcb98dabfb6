package dev.vigil.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.UnexpectedAlertBehaviour;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless chromium driven by its chromedriver, both named explicitly so that Selenium
 * never looks for (or downloads) a browser of its own. One profile per instance, deleted on close.
 * The page's network activity is read from Chrome's performance log (DevTools Network events).
 */
public final class Browser implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    public static Browser start() {
        Path chromium = existing("vigil.chromium");
        Path chromedriver = existing("vigil.chromedriver");
        try {
            Path profile = Files.createTempDirectory("vigil-chromium-");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=1280,1000", "--user-data-dir=" + profile);
            // An alert the page opens stays open, so a test can see it instead of Selenium dismissing it.
            options.setUnhandledPromptBehaviour(UnexpectedAlertBehaviour.IGNORE);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.PERFORMANCE, Level.ALL);
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(chromedriver.toFile())
                    .usingAnyFreePort()
                    .build();
            return new Browser(profile, new ChromeDriver(service, options));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Opens a report page and waits until its script has drawn it; fails if the script failed. */
    public void open(Path page) {
        // Forget earlier pages' requests and console lines: what is read later is this page's.
        driver.manage().logs().get(LogType.PERFORMANCE);
        driver.manage().logs().get(LogType.BROWSER);
        driver.get(page.toUri().toString());
        String state = new WebDriverWait(driver, WAIT).until(d -> {
            String s = d.findElement(By.tagName("body")).getDomAttribute("data-ready");
            return s == null ? null : s;
        });
        if (!"true".equals(state)) {
            throw new AssertionError("the page did not draw: " + content("#page-error"));
        }
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The text of an element as the page holds it (not as CSS shows it: no upper-casing). */
    public static String content(WebElement e) {
        return e.getDomProperty("textContent");
    }

    public String content(String css) {
        return content(find(css));
    }

    public List<String> contents(String css) {
        return all(css).stream().map(Browser::content).toList();
    }

    public Object js(String script, Object... args) {
        return driver.executeScript(script, args);
    }

    public <T> T waitFor(java.util.function.Function<ChromeDriver, T> condition) {
        return new WebDriverWait(driver, WAIT).until(d -> condition.apply(driver));
    }

    public boolean alertOpen() {
        try {
            driver.switchTo().alert();
            return true;
        } catch (NoAlertPresentException e) {
            return false;
        }
    }

    /**
     * Requests since the page was opened that the page made (its document is the initiator), or
     * that went to any network scheme at all; the page's own file and the browser's internal
     * {@code chrome://} pages (the start tab) are not counted.
     */
    public List<String> requestsBesides(Path page) {
        String self = page.toUri().toString();
        String selfLong = self.replace("file:/", "file:///");
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
            JsonNode message;
            try {
                message = JSON.readTree(e.getMessage()).path("message");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            if (!message.path("method").asText().startsWith("Network.requestWillBeSent")) {
                continue;
            }
            String url = message.path("params").path("request").path("url").asText();
            String document = message.path("params").path("documentURL").asText();
            boolean fromPage = document.equals(self) || document.equals(selfLong);
            boolean network = url.matches("(?i)(https?|wss?|ftp):.*");
            if ((fromPage || network) && !url.equals(self) && !url.equals(selfLong)) {
                out.add(url);
            }
        }
        return out;
    }

    /** Console errors of the page (a script error shows here). */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Saves a full-page screenshot under {@code target/screenshots/}. */
    public Path screenshot(String name) {
        try {
            Object height = js("return Math.min(document.documentElement.scrollHeight, 6000)");
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, ((Number) height).intValue() + 120));
            Path dir = Path.of("target/screenshots").toAbsolutePath();
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary profile is harmless.
            }
        }
    }

    private static Path existing(String property) {
        Path p = Path.of(System.getProperty(property, Map.of("vigil.chromium", "/usr/bin/chromium",
                "vigil.chromedriver", "/usr/bin/chromedriver").get(property)));
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(property + ": " + p + " is not installed "
                    + "(apt-get install chromium chromium-driver; .ci/run does it)");
        }
        return p;
    }
}
