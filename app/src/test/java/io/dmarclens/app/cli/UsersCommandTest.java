package io.dmarclens.app.cli;

import io.dmarclens.index.users.SqliteAccounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.web.auth.UserStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code users add|list|token|remove} on a real web.db, the password read from standard input. */
class UsersCommandTest {
    @Test
    void addListTokenRemove(@TempDir Path dir) throws Exception {
        String data = dir.toString();
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "carol", "--data", data)));
        assertEquals(2, withStdin("short\n", () -> Main.run("users", "add", "dave", "--data", data)), "too short");
        String list = capture(() -> Main.run("users", "list", "--data", data));
        assertTrue(list.contains("carol"), list);
        assertFalse(list.contains("dave"), list);
        String token = capture(() -> Main.run("users", "token", "carol", "--data", data)).trim();
        assertTrue(token.startsWith("dl_"), token);
        try (UserStore users = new UserStore(SqliteAccounts.open(dir), 4)) {
            assertTrue(users.verify("carol", "s3cret-password".toCharArray()));
            assertEquals("carol", users.userForToken(token).orElseThrow());
        }
        assertEquals(2, Main.run("users", "remove", "carol", "--data", data), "the last admin stays");
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "root", "--data", data)));
        assertEquals(0, Main.run("users", "remove", "carol", "--data", data));
        assertEquals(1, Main.run("users", "remove", "carol", "--data", data));
        assertEquals(2, Main.run("users", "set", "root", "--role", "viewer", "--data", data), "nor is demoted");
        try (UserStore users = new UserStore(SqliteAccounts.open(dir), 4)) {
            assertFalse(users.verify("carol", "s3cret-password".toCharArray()));
            assertTrue(users.userForToken(token).isEmpty(), "tokens go with their user");
        }
    }

    @Test
    void rolesDomainsAndTwoFactorStateAreSetListedAndAudited(@TempDir Path dir) throws Exception {
        String data = dir.toString();
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "erin", "--role", "viewer",
                "--domains", "Example.com, *.example.org", "--data", data)));
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "frank", "--data", data)));
        assertEquals(2, withStdin("s3cret-password\n", () -> Main.run("users", "add", "gina", "--role", "boss",
                "--data", data)), "an unknown role");
        String list = capture(() -> Main.run("users", "list", "--data", data));
        assertTrue(list.matches("(?s).*erin +role viewer +domains \\*\\.example\\.org,example\\.com +two-factor off.*"), list);
        assertTrue(list.matches("(?s).*frank +role admin +domains all +two-factor off.*"), "a new user without a role is an admin: " + list);
        assertFalse(list.contains("gina"), list);

        assertEquals(0, Main.run("users", "set", "erin", "--role", "analyst", "--domains", "all", "--data", data));
        assertEquals(1, Main.run("users", "set", "nobody", "--role", "analyst", "--data", data));
        assertEquals(2, Main.run("users", "set", "erin", "--domains", "not a domain", "--data", data));
        assertEquals(2, Main.run("users", "set", "erin", "--data", data), "nothing to change");
        list = capture(() -> Main.run("users", "list", "--data", data));
        assertTrue(list.matches("(?s).*erin +role analyst +domains all .*"), list);
        capture(() -> Main.run("users", "token", "erin", "--data", data));

        try (UserStore users = UsersCommand.userStore(io.dmarclens.app.config.StoreSettings.embedded(), dir,
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-30T12:00:00Z"), java.time.ZoneOffset.UTC))) {
            java.util.List<String> actions = users.auditLog().orElseThrow()
                    .find(io.dmarclens.store.audit.AuditQuery.all(100)).stream()
                    .filter(e -> e.user().equals("cli") && e.address().equals("local"))
                    .map(e -> e.action() + " " + e.subject()).toList();
            assertTrue(actions.contains("user.add user erin"), actions.toString());
            assertTrue(actions.contains("user.role user erin role viewer"), actions.toString());
            assertTrue(actions.contains("user.scope user erin scope *.example.org,example.com"), actions.toString());
            assertTrue(actions.contains("user.role user erin role analyst"), actions.toString());
            assertTrue(actions.contains("user.scope user erin scope all"), actions.toString());
            assertTrue(actions.stream().anyMatch(a -> a.matches("token\\.create user erin token [0-9a-f]{16}")),
                    actions.toString());
            assertEquals(io.dmarclens.store.users.Role.ANALYST, users.account("erin").orElseThrow().role());
        }
    }

    @Test
    void tokensAreNarrowedExpireListedWithoutSecretsAndRevoked(@TempDir Path dir) throws Exception {
        String data = dir.toString();
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "root", "--data", data)));
        assertEquals(0, withStdin("s3cret-password\n", () -> Main.run("users", "add", "erin", "--role", "viewer",
                "--domains", "example.com,*.example.org", "--data", data)));
        String token = capture(() -> Main.run("users", "token", "erin", "--domains", "a.example.org",
                "--expires", "P30D", "--label", "grafana", "--data", data)).trim();
        assertTrue(token.startsWith("dl_"), token);
        assertEquals(2, Main.run("users", "token", "erin", "--domains", "other.test", "--data", data),
                "outside the user's scope");
        assertEquals(2, Main.run("users", "token", "erin", "--expires", "soon", "--data", data));
        assertEquals(1, Main.run("users", "token", "nobody", "--data", data));
        String id = UserStore.tokenId(token);
        String list = capture(() -> Main.run("users", "tokens", "erin", "--data", data));
        assertTrue(list.matches("(?s)" + id + " +label grafana +domains a\\.example\\.org +created \\S+ +expires "
                + "\\d{4}-\\S+ +last used never\\s*"), list);
        assertFalse(list.contains(token), "never the secret");
        assertTrue(capture(() -> Main.run("users", "tokens", "root", "--data", data)).contains("No API tokens"));
        assertEquals(1, Main.run("users", "revoke-token", "root", id, "--data", data), "not root's token");
        assertEquals(0, Main.run("users", "revoke-token", "erin", id, "--data", data));
        assertEquals(1, Main.run("users", "revoke-token", "erin", id, "--data", data));
        try (UserStore users = new UserStore(SqliteAccounts.open(dir), 4)) {
            assertTrue(users.userForToken(token).isEmpty(), "revoked");
        }
        try (UserStore users = UsersCommand.userStore(io.dmarclens.app.config.StoreSettings.embedded(), dir,
                java.time.Clock.fixed(java.time.Instant.parse("2026-11-30T12:00:00Z"), java.time.ZoneOffset.UTC))) {
            java.util.List<String> actions = users.auditLog().orElseThrow()
                    .find(io.dmarclens.store.audit.AuditQuery.all(100)).stream()
                    .map(e -> e.user() + " " + e.action() + " " + e.subject()).toList();
            assertTrue(actions.contains("cli token.create user erin token " + id), actions.toString());
            assertTrue(actions.contains("cli token.revoke user erin token " + id), actions.toString());
        }
    }

    private static int withStdin(String text, java.util.concurrent.Callable<Integer> run) throws Exception {
        InputStream old = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.call();
        } finally {
            System.setIn(old);
        }
    }

    private static String capture(java.util.concurrent.Callable<Integer> run) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, run.call());
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
