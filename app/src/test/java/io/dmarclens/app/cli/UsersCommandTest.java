package io.dmarclens.app.cli;

import io.dmarclens.index.users.SqliteAccounts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
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
        assertEquals(0, Main.run("users", "remove", "carol", "--data", data));
        assertEquals(1, Main.run("users", "remove", "carol", "--data", data));
        try (UserStore users = new UserStore(SqliteAccounts.open(dir), 4)) {
            assertFalse(users.verify("carol", "s3cret-password".toCharArray()));
            assertTrue(users.userForToken(token).isEmpty(), "tokens go with their user");
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
