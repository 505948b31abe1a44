package io.dmarclens.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through /usr/bin/chromedriver, with the flags that keep it off
 * the (closed) network. Browser tests skip when the packages are not installed.
 */
final class HeadlessChromium {
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    /** Skips the calling test (JUnit assumption) unless chromium and chromium-driver are installed. */
    static void assumeInstalled() {
        Assumptions.assumeTrue(Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM),
                "chromium and chromium-driver are not installed");
    }

    /**
     * Waits up to 20 seconds for a condition, checking it every 25 ms: Selenium's default of 500 ms made each
     * wait (a page, a download) last half a second longer than the browser needed, about 40 s of ExportBrowserTest.
     * An element found by a check and replaced before the check reads it (the page reloading after a form was
     * sent) is "not yet", checked again at the next poll.
     */
    static WebDriverWait await(WebDriver driver) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20), Duration.ofMillis(25));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    /** A new browser with its own profile in {@code profileDir}. */
    static WebDriver start(Path profileDir) throws IOException {
        return start(profileDir, null);
    }

    /**
     * A new browser that saves what a click downloads into {@code downloadDir} without asking (headless
     * chromium drops downloads unless told where they go), or the default when it is null.
     */
    static WebDriver start(Path profileDir, Path downloadDir) throws IOException {
        ChromeOptions options = new ChromeOptions();
        if (downloadDir != null) {
            options.setExperimentalOption("prefs", Map.of(
                    "download.default_directory", Files.createDirectories(downloadDir).toString(),
                    "download.prompt_for_download", false));
        }
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + Files.createDirectories(profileDir), "--window-size=1440,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        if (downloadDir != null) {
            driver.executeCdpCommand("Browser.setDownloadBehavior",
                    Map.of("behavior", "allow", "downloadPath", downloadDir.toString()));
        }
        return driver;
    }
}
