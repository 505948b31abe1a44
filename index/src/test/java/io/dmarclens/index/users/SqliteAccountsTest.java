package io.dmarclens.index.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.users.Accounts;
import io.dmarclens.store.users.Role;
import io.dmarclens.store.users.UserInfo;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User accounts on a real {@code web.db}, including one written by DMARC Lens before web.db had versions. */
class SqliteAccountsTest {
    private static final Instant CREATED = Instant.parse("2026-11-01T08:00:00Z");
    private static final Instant LATER = Instant.parse("2026-11-29T21:00:00Z");

    @TempDir
    Path dir;

    @Test
    void keepsUsersAndTokenDigestsAcrossAReopen() throws Exception {
        Path data = dir.resolve("data"); // created on first open, as the dashboard did
        try (Accounts accounts = SqliteAccounts.open(data)) {
            accounts.saveUser("alice", "hash-1", CREATED);
            accounts.saveUser("bob", "hash-b", CREATED);
            accounts.saveUser("alice", "hash-2", LATER);
            accounts.saveToken("digest-a", "alice", LATER);
        }
        try (Accounts accounts = SqliteAccounts.open(data)) {
            assertEquals(Optional.of("hash-2"), accounts.passwordHash("alice"), "a new password replaces the old");
            assertEquals(Optional.empty(), accounts.passwordHash("carol"));
            assertEquals(List.of(new UserInfo("alice", CREATED, 1, Role.ADMIN, "all", false),
                    new UserInfo("bob", CREATED, 0, Role.ADMIN, "all", false)), accounts.list(),
                    "the creation time stays when the password changes");
            assertEquals(Optional.of("alice"), accounts.useToken("digest-a", LATER).map(io.dmarclens.store.users.ApiToken::user));
            assertEquals(Optional.empty(), accounts.useToken("digest-x", LATER).map(io.dmarclens.store.users.ApiToken::user));
        }
        try (Connection c = connect(data); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_used_at FROM api_tokens WHERE digest='digest-a'")) {
            rs.next();
            assertEquals(LATER.getEpochSecond(), rs.getLong(1));
        }
    }

    @Test
    void removingAUserRemovesItsTokens() {
        try (Accounts accounts = SqliteAccounts.open(dir)) {
            accounts.saveUser("alice", "hash", CREATED);
            accounts.saveToken("digest-a", "alice", CREATED);
            assertTrue(accounts.removeUser("alice"));
            assertFalse(accounts.removeUser("alice"));
            assertEquals(Optional.empty(), accounts.useToken("digest-a", LATER).map(io.dmarclens.store.users.ApiToken::user));
            assertEquals(List.of(), accounts.list());
        }
    }

    @Test
    void aTokenForNoUserIsRefused() {
        try (Accounts accounts = SqliteAccounts.open(dir)) {
            StoreException e = assertThrows(StoreException.class, () -> accounts.saveToken("digest", "nobody", CREATED));
            assertTrue(e.getMessage().contains("web.db"), e.getMessage());
        }
    }

    @Test
    void accountsWrittenBeforeVersionsOpenWithTheirUsersAndBecomeAdminsOfAllDomains() throws Exception {
        // The exact DDL the user store ran on every open before web.db had versions, and a user with a token.
        try (Connection c = connect(dir); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, password_hash TEXT NOT NULL,"
                    + " created_at INTEGER NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS api_tokens (digest TEXT PRIMARY KEY,"
                    + " user_name TEXT NOT NULL REFERENCES users(name) ON DELETE CASCADE,"
                    + " created_at INTEGER NOT NULL, last_used_at INTEGER)");
            s.execute("INSERT INTO users VALUES ('alice', '$2a$04$old', " + CREATED.getEpochSecond() + ")");
            s.execute("INSERT INTO api_tokens (digest, user_name, created_at) VALUES ('digest-a', 'alice', "
                    + CREATED.getEpochSecond() + ")");
        }
        try (Accounts accounts = SqliteAccounts.open(dir)) {
            assertEquals(Optional.of("$2a$04$old"), accounts.passwordHash("alice"));
            // Users from before roles existed had every right: the upgrade keeps that (#12).
            assertEquals(List.of(new UserInfo("alice", CREATED, 1, Role.ADMIN, "all", false)), accounts.list());
            assertEquals(Optional.of("alice"), accounts.useToken("digest-a", LATER).map(io.dmarclens.store.users.ApiToken::user));
            // A token from before token scopes: its id from its digest, the user's whole scope, no expiry (#12, V3).
            assertEquals(List.of(new io.dmarclens.store.users.ApiToken("digest-a", "alice", "", "all", CREATED,
                    Optional.empty(), Optional.of(LATER))), accounts.tokens("alice"));
        }
        try (Connection c = connect(dir); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT group_concat(version) FROM schema_version")) {
            rs.next();
            assertEquals("1,2,3,4,5", rs.getString(1), "recorded as version 1, then migrated to 2, 3, 4 and 5");
        }
    }

    @Test
    void rolesScopesAndTwoFactorAreKeptAndRecoveryCodesWorkOnce() {
        try (Accounts accounts = SqliteAccounts.open(dir)) {
            accounts.saveUser("bob", "hash", CREATED);
            assertTrue(accounts.setRole("bob", Role.VIEWER));
            assertTrue(accounts.setScope("bob", "example.com,*.example.org"));
            assertFalse(accounts.setRole("nobody", Role.ADMIN), "no such user");
            assertTrue(accounts.setTwoFactor("bob", "sealed", List.of("h1", "h2")));
            accounts.saveUser("bob", "hash-2", LATER);
        }
        try (Accounts accounts = SqliteAccounts.open(dir)) {
            assertEquals(Optional.of(new io.dmarclens.store.users.Account("bob", Role.VIEWER, "example.com,*.example.org",
                    Optional.of("sealed"))), accounts.account("bob"), "a new password keeps role, scope and second factor");
            assertEquals(List.of(new UserInfo("bob", CREATED, 0, Role.VIEWER, "example.com,*.example.org", true)),
                    accounts.list());
            assertTrue(accounts.useRecoveryCode("bob", "h1"));
            assertFalse(accounts.useRecoveryCode("bob", "h1"), "each recovery code works once");
            assertEquals(List.of("h2"), accounts.recoveryCodeHashes("bob"));
            assertTrue(accounts.setTwoFactor("bob", null, List.of()));
            assertEquals(List.of(), accounts.recoveryCodeHashes("bob"), "turning it off drops the codes");
            assertEquals(Optional.empty(), accounts.account("bob").orElseThrow().totpSecret());
        }
    }

    @Test
    void accountsOfANewerVersionAreRefusedWithAClearMessage() throws Exception {
        SqliteAccounts.open(dir).close();
        try (Connection c = connect(dir); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteAccounts.open(dir));
        assertTrue(e.getMessage().contains("web.db") && e.getMessage().contains("999")
                && e.getMessage().contains("upgrade"), e.getMessage());
    }

    private static Connection connect(Path data) throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("web.db"));
    }
}
