package io.dmarclens.index.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.store.users.Accounts;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log on a real {@code web.db}: kept, filtered, newest first, and append-only in the file itself. */
class SqliteAuditLogTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void entriesAreKeptFilteredAndNewestFirst() {
        AuditEntry a = new AuditEntry(T0, "alice", "login", "", "192.0.2.1");
        AuditEntry b = new AuditEntry(T0.plusSeconds(60), "bob", "login.failed", "", "192.0.2.2");
        AuditEntry c = new AuditEntry(T0.plusSeconds(120), "alice", "reveal", "failure report 3", "192.0.2.1");
        try (Accounts accounts = SqliteAccounts.open(dir); SqliteAuditLog log = SqliteAuditLog.open(dir)) {
            log.append(a);
            log.append(b);
            log.append(c);
        }
        try (SqliteAuditLog log = SqliteAuditLog.open(dir)) {
            assertEquals(List.of(c, b, a), log.find(AuditQuery.all(10)));
            assertEquals(List.of(c, a), log.find(new AuditQuery(Optional.of("alice"), Optional.empty(),
                    Optional.empty(), Optional.empty(), 10)));
            assertEquals(List.of(b), log.find(new AuditQuery(Optional.empty(), Optional.of("login.failed"),
                    Optional.empty(), Optional.empty(), 10)));
            assertEquals(List.of(b), log.find(new AuditQuery(Optional.empty(), Optional.empty(),
                    Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(120)), 10)));
            assertEquals(List.of(c), log.find(AuditQuery.all(1)));
        }
    }

    @Test
    void theFileRefusesChangesAndRemovals() throws Exception {
        try (SqliteAuditLog log = SqliteAuditLog.open(dir)) {
            log.append(new AuditEntry(T0, "alice", "login", "", "192.0.2.1"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("web.db"));
             Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("UPDATE audit_log SET user_name='mallory'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("DELETE FROM audit_log"));
        }
        try (SqliteAuditLog log = SqliteAuditLog.open(dir)) {
            assertEquals("alice", log.find(AuditQuery.all(10)).get(0).user());
        }
    }
}
