package io.dmarclens.app.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.Main;
import io.dmarclens.store.Clocks;
import io.dmarclens.web.WebClient;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #14, "Sessions outlive the account", as reported: a real {@code serve}, a logged-in browser, and
 * {@code users add} / {@code users remove} run from the command line as other processes. The old session
 * must read and upload nothing afterwards.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class AccountChangeAttackTest {
    private static final String FIRST = "carol's first password";
    private static final String SECOND = "carol's second password";
    private static final byte[] REPORT = ("<?xml version=\"1.0\"?><feedback><report_metadata><org_name>x</org_name>"
            + "<email>x@example.com</email><report_id>r1</report_id><date_range><begin>1700000000</begin>"
            + "<end>1700086400</end></date_range></report_metadata><policy_published><domain>example.com</domain>"
            + "<p>none</p></policy_published></feedback>").getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private Process serve;

    @AfterEach
    void stop() throws Exception {
        if (serve != null) {
            serve.destroy();
            serve.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void usersAddAndRemoveFromTheCommandLineEndTheSessionsOfARunningServer() throws Exception {
        Path data = dir.resolve("data");
        assertEquals(0, users(data, FIRST, "add", "carol"));
        int port = freePort();
        serve = serve(data, port);
        awaitListening(port);

        WebClient browser = new WebClient(port);
        assertEquals(303, browser.login("carol", FIRST).statusCode());
        assertEquals(200, browser.get("/reports").statusCode());
        assertEquals(202, upload(browser).statusCode(), "the session may upload");

        assertEquals(0, users(data, SECOND, "add", "carol"));
        assertRefused(browser);

        WebClient again = new WebClient(port);
        assertEquals(303, again.login("carol", SECOND).statusCode());
        assertEquals(200, again.get("/reports").statusCode());
        assertEquals(0, users(data, null, "remove", "carol"));
        assertRefused(again);
    }

    private static void assertRefused(WebClient old) throws Exception {
        HttpResponse<String> page = old.get("/reports");
        assertEquals(303, page.statusCode(), "pages send the old session to the login");
        assertTrue(page.headers().firstValue("Location").orElse("").startsWith("/login"));
        assertEquals(401, old.get("/api/failures").statusCode());
        assertEquals(401, upload(old).statusCode());
    }

    private static HttpResponse<String> upload(WebClient c) throws Exception {
        return c.postFile("/api/ingest/upload", Map.of("_csrf", c.csrf()), "files", "report.xml", REPORT);
    }

    /** Runs {@code users ...} as its own process, the password (if any) on its standard input. */
    private int users(Path data, String password, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.add("users");
        cmd.add(args[0]);
        cmd.add("--data");
        cmd.add(data.toString());
        for (int i = 1; i < args.length; i++) {
            cmd.add(args[i]);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("users-" + args[0] + ".log").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            if (password != null) {
                in.write((password + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "users " + args[0] + " finishes");
        return p.exitValue();
    }

    private Process serve(Path data, int webPort) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand());
        cmd.addAll(List.of("serve", "--data", data.toString(), "--smtp-listen", "127.0.0.1:0",
                "--web-listen", "127.0.0.1:" + webPort, "--offline"));
        File log = dir.resolve("serve.log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static List<String> javaCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-Xmx256m", "-D" + Clocks.SHIFT_PROPERTY + "=" + System.getProperty(Clocks.SHIFT_PROPERTY, ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitListening(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!serve.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("serve did not start listening: "
                            + Files.readString(dir.resolve("serve.log")));
                }
                Thread.sleep(100);
            }
        }
    }
}
