package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The audit log as every implementation must keep it: entries kept across a reopen and seen by every handle,
 * newest first, filtered by user, action and time, bounded by the limit. (There is no way to change or remove an
 * entry through {@link AuditLog}, so there is nothing of that to test here; the embedded store's file refuses it
 * too, see SqliteAuditLogTest.)
 */
public abstract class AuditLogContract {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    /** Opens the audit log of this test's place (a data directory, an index prefix), empty at the first call. */
    protected abstract AuditLog open();

    @Test
    void entriesAreKeptFilteredBoundedAndNewestFirst() {
        AuditEntry a = new AuditEntry(T0, "alice", "login", "", "192.0.2.1");
        AuditEntry b = new AuditEntry(T0.plusSeconds(60), "bob", "login.failed", "", "2001:db8::1");
        AuditEntry c = new AuditEntry(T0.plusSeconds(120), "alice", "reveal", "failure report 3", "192.0.2.1");
        AuditEntry d = new AuditEntry(T0.plusSeconds(120), "cli", "token.revoke",
                "user alice token 0123456789abcdef \"grafana\", with a comma", "local");
        try (AuditLog log = open()) {
            log.append(a);
            log.append(b);
            log.append(c);
            log.append(d);
        }
        try (AuditLog log = open(); AuditLog other = open()) {
            assertEquals(List.of(d, c, b, a), log.find(AuditQuery.all(10)), "newest first, the same second in order");
            assertEquals(List.of(d, c, b, a), other.find(AuditQuery.all(10)));
            assertEquals(List.of(c, a), log.find(new AuditQuery(Optional.of("alice"), Optional.empty(),
                    Optional.empty(), Optional.empty(), 10)));
            assertEquals(List.of(b), log.find(new AuditQuery(Optional.empty(), Optional.of("login.failed"),
                    Optional.empty(), Optional.empty(), 10)));
            assertEquals(List.of(b), log.find(new AuditQuery(Optional.empty(), Optional.empty(),
                    Optional.of(T0.plusSeconds(1)), Optional.of(T0.plusSeconds(120)), 10)), "from inclusive, to exclusive");
            assertEquals(List.of(d, c), log.find(AuditQuery.all(2)));
            assertEquals(List.of(), log.find(new AuditQuery(Optional.of("mallory"), Optional.empty(),
                    Optional.empty(), Optional.empty(), 10)));
            other.append(new AuditEntry(T0.plusSeconds(180), "alice", "export", "/api/records.csv", "192.0.2.1"));
            assertEquals("export", log.find(AuditQuery.all(1)).get(0).action(), "another handle's entry is seen");
        }
    }
}
