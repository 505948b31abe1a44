package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.users.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The token page and the admin users page in Debian's headless chromium: an admin makes a narrowed token (shown
 * once, then used), revokes it, adds a user and changes its role, with the forms' CSRF tokens as the browser
 * sends them. Screenshots go to {@code web/target/screenshots/}. Skipped when chromedriver is not installed.
 */
class AccountPagesBrowserTest {
    @TempDir
    Path dir;

    @Test
    void anAdminMakesAndRevokesATokenAndManagesAUserInTheBrowser() throws Exception {
        HeadlessChromium.assumeInstalled();
        Path shots = Path.of("target/screenshots");
        Files.createDirectories(shots);
        try (TestApp app = TestApp.start(dir)) {
            String base = "http://127.0.0.1:" + app.app.port();
            WebDriver driver = HeadlessChromium.start(dir.resolve("chrome-profile"));
            try {
                // A check may find the users' table just before the page reloads after the role form: the wait
                // takes that for "not yet" (a CI run failed with StaleElementReferenceException).
                WebDriverWait wait = HeadlessChromium.await(driver);
                driver.get(base + "/login");
                driver.findElement(By.id("username")).sendKeys(TestApp.USER);
                driver.findElement(By.id("password")).sendKeys(TestApp.PASSWORD);
                driver.findElement(By.id("login")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("my-tokens"))).click();

                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("token-label"))).sendKeys("grafana");
                driver.findElement(By.id("token-domains")).sendKeys("example.com");
                new Select(driver.findElement(By.id("token-expires"))).selectByValue("P30D");
                driver.findElement(By.id("token-create")).click();
                String secret = wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-token"))).getText();
                Files.write(shots.resolve("90-my-tokens.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
                assertTrue(secret.startsWith("dl_"), secret);
                assertEquals(200, app.client().get("/api/reports", "Authorization", "Bearer " + secret).statusCode());
                assertEquals("example.com", app.users.tokens(TestApp.USER).get(0).scope());

                driver.findElement(By.cssSelector("button[data-revoke]")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("tokens-none")));
                assertEquals(401, app.client().get("/api/reports", "Authorization", "Bearer " + secret).statusCode());

                driver.findElement(By.cssSelector("a[href='/users']")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-name"))).sendKeys("dave");
                new Select(driver.findElement(By.id("new-role"))).selectByValue("analyst");
                driver.findElement(By.id("new-password")).sendKeys("a long password");
                driver.findElement(By.id("add-user-button")).click();
                wait.until(ExpectedConditions.presenceOfElementLocated(By.id("users-notice")));
                assertEquals(Role.ANALYST, app.users.account("dave").orElseThrow().role());

                By daveRole = By.cssSelector("tr[data-user='dave'] select[name='role']");
                new Select(driver.findElement(daveRole)).selectByValue("viewer");
                driver.findElement(By.cssSelector("tr[data-user='dave'] form[action$='/role'] button")).click();
                wait.until(d -> new Select(d.findElement(daveRole)).getFirstSelectedOption().getText().equals("viewer"));
                Files.write(shots.resolve("91-users.png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
                assertEquals(Role.VIEWER, app.users.account("dave").orElseThrow().role());
            } finally {
                driver.quit();
            }
        }
    }
}
