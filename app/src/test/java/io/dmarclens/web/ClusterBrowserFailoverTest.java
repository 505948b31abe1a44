package io.dmarclens.web;

import io.dmarclens.testing.LoopbackPorts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.Main;
import io.dmarclens.app.cli.ServeRuntime;
import io.dmarclens.app.config.ConfigLoader;
import io.dmarclens.app.config.ConfigOverrides;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.store.Clocks;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A browser session (headless chromium) logged in through one DMARC Lens node goes on through another after the
 * first is killed with SIGKILL: node A is a {@code serve} process of its own, node B a {@code serve} in this JVM,
 * both on one OpenSearch store. A browser ignores ports for cookies, as it would behind one load balancer name.
 */
@ExtendWith(DropIndicesAfterClass.class)
class ClusterBrowserFailoverTest {
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    @Test
    void aSessionOpenedThroughAKilledNodeGoesOnThroughAnother() throws Exception {
        HeadlessChromium.assumeInstalled();
        OpenSearchTestNode node = OpenSearchTestNode.shared();
        String prefix = OpenSearchTestNode.prefix(getClass(), dir);
        Map<String, String> env = new HashMap<>(Map.of("DMARC_LENS_STORE_OPENSEARCH_INDEX_PREFIX", prefix,
                "DMARC_LENS_STORE_OPENSEARCH_REPLICAS", "0"));
        Map<String, String> envB = new HashMap<>(env);
        envB.put("DMARC_LENS_NODE_NAME", "node-b");
        try (ServeRuntime b = ServeRuntime.start(new ConfigLoader(envB).load(null, new ConfigOverrides(
                dir.resolve("b"), "127.0.0.1:0", "127.0.0.1:0", List.of(), true, node.url().toString())))) {
            b.users().addOrReplace("alice", PASSWORD.toCharArray());
            env.put("DMARC_LENS_NODE_NAME", "node-a");
            int portA = LoopbackPorts.free();
            Process a = startServe(dir.resolve("a"), portA, node.url().toString(), env);
            WebDriver driver = HeadlessChromium.start(dir.resolve("chrome-profile"));
            try {
                driver.get("http://127.0.0.1:" + portA + "/");
                assertTrue(driver.getCurrentUrl().contains("/login"), driver.getCurrentUrl());
                driver.findElement(By.id("username")).sendKeys("alice");
                driver.findElement(By.id("password")).sendKeys(PASSWORD);
                driver.findElement(By.id("login")).click();
                assertEquals("Overview", driver.findElement(By.tagName("h1")).getText(), "logged in through A");

                a.destroyForcibly(); // SIGKILL: no shutdown hook, nothing handed over
                assertTrue(a.waitFor(30, TimeUnit.SECONDS));
                assertFalse(listens(portA), "node A is gone");

                String viaB = "http://127.0.0.1:" + b.web().port();
                driver.get(viaB + "/ingest");
                assertEquals("Ingest", driver.findElement(By.tagName("h1")).getText(),
                        "the session opened on A goes on through B: " + driver.getCurrentUrl());
                assertTrue(driver.findElement(By.cssSelector("a.user")).getText().startsWith("alice"));
                // A form of the session (its CSRF token came from A's login) is accepted by B.
                driver.findElement(By.cssSelector("form.logout button")).click();
                // A click does not wait for the navigation it starts: wait for the answer to the logout.
                HeadlessChromium.await(driver).until(ExpectedConditions.urlContains("/login"));
                driver.get(viaB + "/");
                assertTrue(driver.getCurrentUrl().contains("/login"), "logged out: " + driver.getCurrentUrl());
            } finally {
                driver.quit();
                a.destroyForcibly();
            }
        }
    }

    private static Process startServe(Path data, int webPort, String url, Map<String, String> env) throws Exception {
        Files.createDirectories(data);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:0",
                "--web-listen", "127.0.0.1:" + webPort, "--offline", "--opensearch", url));
        Path log = data.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!listens(webPort)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("serve did not start listening: " + Files.readString(log));
            }
            Thread.sleep(200);
        }
        return p;
    }

    private static boolean listens(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

}
