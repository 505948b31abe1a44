package io.dmarclens.index.ingestlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.StoreException;
import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ingest log on a real {@code ingest.db}, including one written by DMARC Lens before ingest.db had versions. */
class SqliteIngestLogTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-29T20:56:00.123Z");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T21:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path data;

    private static InboxMessage message(String id, String uid) {
        return new InboxMessage(id, RECEIVED, MessageOrigin.imap("dmarc@example.org", "INBOX", 7, Long.parseLong(uid)),
                1234, "");
    }

    @Test
    void recordsWhatBecameOfEachMessageAndPagesNewestFirst() {
        InboxMessage stored = message("20261129T205600123Z-000000000001", "1");
        InboxMessage quarantined = message("20261129T205600123Z-000000000002", "2");
        try (IngestLog log = SqliteIngestLog.open(data, CLOCK)) {
            log.accepted(stored);
            log.accepted(quarantined);
            assertEquals(IngestStatus.PENDING, log.get(stored.id()).orElseThrow().status());

            List<IngestLogEntry> entries = log.finished(List.of(
                    new IngestLog.Finished(stored, new ProcessingResult(2, 40, 0, Set.of("aggregate"), List.of(), null)),
                    new IngestLog.Finished(quarantined, ProcessingResult.invalid("no report in it"))));
            assertEquals(IngestStatus.STORED, entries.get(0).status());
            assertEquals(40, entries.get(0).records());
            assertEquals(Set.of("aggregate"), entries.get(0).kinds());
            assertEquals(CLOCK.instant(), entries.get(0).finishedAt());
            assertEquals(IngestStatus.QUARANTINED, entries.get(1).status());
            assertEquals("no report in it", entries.get(1).detail());

            // Processed again after a crash: the reports are found stored, and the entry stays STORED.
            IngestLogEntry again = log.finished(stored, new ProcessingResult(0, 0, 2, Set.of("aggregate"), List.of(), null));
            assertEquals(IngestStatus.STORED, again.status());

            IngestLogEntry rejected = log.rejected(MessageOrigin.smtp("192.0.2.1", "mx.example", "a@example.net",
                    List.of("dmarc@example.org")), 99_000_000, "too large");
            assertEquals(IngestStatus.REJECTED, rejected.status());
            assertEquals(CLOCK.instant(), rejected.receivedAt());
            assertEquals("192.0.2.1", rejected.origin().detail("peer"));

            assertEquals(stored.id(), log.bySourceKey(stored.origin().sourceKey()).orElseThrow().id());
            Map<IngestStatus, Long> counts = log.countByStatus();
            assertEquals(1L, counts.get(IngestStatus.STORED));
            assertEquals(1L, counts.get(IngestStatus.QUARANTINED));
            assertEquals(1L, counts.get(IngestStatus.REJECTED));
            assertEquals(0L, counts.get(IngestStatus.PENDING));

            IngestLogPage page = log.page(null, 0, 2);
            assertEquals(3, page.total());
            assertEquals(rejected.id(), page.entries().get(0).id(), "the newest (latest received) first");
            assertEquals(1, log.page(IngestStatus.QUARANTINED, 0, 10).total());
            assertThrows(IllegalArgumentException.class, () -> log.page(null, 0, 1001));
        }
        try (IngestLog log = SqliteIngestLog.open(data, CLOCK)) {
            assertEquals("dmarc@example.org", log.get(stored.id()).orElseThrow().origin().detail("account"),
                    "kept across a reopen");
        }
    }

    @Test
    void aMessageDroppedFromTheQuarantineIsLoggedAsDroppedWithTheBoundAndTheFirstReason() {
        InboxMessage junk = message("20261129T205600123Z-000000000003", "3");
        InboxMessage stored = message("20261129T205600123Z-000000000004", "4");
        try (IngestLog log = SqliteIngestLog.open(data, CLOCK)) {
            log.finished(List.of(new IngestLog.Finished(junk, ProcessingResult.invalid("no report in it")),
                    new IngestLog.Finished(stored, new ProcessingResult(1, 1, 0, Set.of("aggregate"), List.of(), null))));
            log.dropped(junk.id(), "dropped from the quarantine: older than 30 days (quarantine.max_age)");
            log.dropped(stored.id(), "not quarantined: left alone");
            log.dropped("20261129T205600123Z-00000000000f", "unknown: nothing happens");
            IngestLogEntry e = log.get(junk.id()).orElseThrow();
            assertEquals(IngestStatus.DROPPED, e.status());
            assertEquals("dropped from the quarantine: older than 30 days (quarantine.max_age)\n"
                    + "quarantined because: no report in it", e.detail());
            assertEquals(IngestStatus.STORED, log.get(stored.id()).orElseThrow().status());
            assertEquals("", log.get(stored.id()).orElseThrow().detail());
            assertEquals(1L, log.countByStatus().get(IngestStatus.DROPPED));
            assertEquals(0L, log.countByStatus().get(IngestStatus.QUARANTINED));
            log.dropped(junk.id(), "again");
            assertEquals(e.detail(), log.get(junk.id()).orElseThrow().detail(), "dropped once");
        }
    }

    @Test
    void anIngestLogWrittenBeforeVersionsOpensWithItsEntriesAndIsBroughtToTheLatestVersion() throws Exception {
        // The exact DDL the ingest log ran on every open before ingest.db had versions, and one entry.
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("""
                    CREATE TABLE IF NOT EXISTS ingest_log (
                      id TEXT PRIMARY KEY,
                      received_at INTEGER NOT NULL,
                      channel TEXT NOT NULL,
                      origin TEXT NOT NULL,
                      source_key TEXT NOT NULL DEFAULT '',
                      name TEXT NOT NULL DEFAULT '',
                      size INTEGER NOT NULL,
                      status TEXT NOT NULL,
                      reports INTEGER NOT NULL DEFAULT 0,
                      records INTEGER NOT NULL DEFAULT 0,
                      duplicates INTEGER NOT NULL DEFAULT 0,
                      kinds TEXT NOT NULL DEFAULT '',
                      detail TEXT NOT NULL DEFAULT '',
                      finished_at INTEGER)""");
            s.execute("CREATE INDEX IF NOT EXISTS ingest_log_received ON ingest_log(received_at)");
            s.execute("CREATE INDEX IF NOT EXISTS ingest_log_status ON ingest_log(status, received_at)");
            s.execute("CREATE INDEX IF NOT EXISTS ingest_log_source ON ingest_log(source_key) WHERE source_key <> ''");
            s.execute("INSERT INTO ingest_log (id, received_at, channel, origin, source_key, name, size, status, "
                    + "reports, records, kinds, finished_at) VALUES ('20261101T080000000Z-0123456789ab', "
                    + RECEIVED.toEpochMilli() + ", 'UPLOAD', 'user=alice\nfile=google.xml.gz', '', 'google.xml.gz', "
                    + "2048, 'STORED', 1, 12, 'aggregate', " + CLOCK.millis() + ")");
        }

        try (IngestLog log = SqliteIngestLog.open(data, CLOCK)) {
            IngestLogEntry old = log.get("20261101T080000000Z-0123456789ab").orElseThrow();
            assertEquals(IngestStatus.STORED, old.status());
            assertEquals(MessageOrigin.Channel.UPLOAD, old.origin().channel());
            assertEquals("alice", old.origin().detail("user"));
            assertEquals("google.xml.gz", old.name());
            assertEquals(12, old.records());
            assertEquals(0, old.partial(), "logged before partial reports existed");
            assertEquals(1, log.page(null, 0, 10).total());
        }
        assertEquals(List.of(1, 2, 3), versions());
    }

    @Test
    void anIngestLogOfANewerVersionIsRefusedWithAClearMessage() throws Exception {
        SqliteIngestLog.open(data, CLOCK).close();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version, applied_at) VALUES (999, 0)");
        }
        StoreException e = assertThrows(StoreException.class, () -> SqliteIngestLog.open(data, CLOCK));
        assertTrue(e.getMessage().contains("ingest.db") && e.getMessage().contains("999")
                && e.getMessage().contains("upgrade"), e.getMessage());
    }

    @Test
    void aNewIngestLogIsInWalModeAtTheLatestVersion() throws Exception {
        SqliteIngestLog.open(data, CLOCK).close();
        assertEquals(List.of(1, 2, 3), versions());
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void anUnopenableFileSaysWhichAndWhatToCheck() {
        StoreException e = assertThrows(StoreException.class,
                () -> SqliteIngestLog.open(data.resolve("no-such-directory"), CLOCK));
        assertTrue(e.getMessage().contains("ingest.db") && e.getMessage().contains("check"), e.getMessage());
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + data.resolve("ingest.db"));
    }

    private List<Integer> versions() throws Exception {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }
}
