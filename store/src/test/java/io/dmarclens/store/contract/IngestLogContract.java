package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ingest log as every implementation keeps it: what became of each message, newest first, counted by status,
 * a processed-again message never turned from STORED into DUPLICATE, a quarantined message dropped once; the node
 * that received each message; and the bytes of quarantined messages, which another node on the same log reads.
 */
public abstract class IngestLogContract {
    private static final Instant RECEIVED = Instant.parse("2026-11-29T20:56:00.123Z");
    protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-29T21:00:00Z"), ZoneOffset.UTC);

    /**
     * Opens (creating when needed) the ingest log called {@code name} as the node {@code node} sees it: the same
     * name opens the same log (for the embedded store, the same file).
     */
    protected abstract IngestLog open(String name, String node);

    private static InboxMessage message(String id, String uid) {
        return new InboxMessage(id, RECEIVED, MessageOrigin.imap("dmarc@example.org", "INBOX", 7, Long.parseLong(uid)),
                1234, "report.eml");
    }

    @Test
    void recordsWhatBecameOfEachMessageAndPagesNewestFirst() {
        InboxMessage stored = message("20261129T205600123Z-000000000001", "1");
        InboxMessage quarantined = message("20261129T205600123Z-000000000002", "2");
        try (IngestLog log = open("outcomes", "node-a")) {
            log.accepted(stored);
            log.accepted(quarantined);
            log.accepted(stored);
            IngestLogEntry pending = log.get(stored.id()).orElseThrow();
            assertEquals(IngestStatus.PENDING, pending.status());
            assertEquals("node-a", pending.node(), "the node that received it");
            assertEquals("report.eml", pending.name());
            assertEquals(RECEIVED, pending.receivedAt());

            List<IngestLogEntry> entries = log.finished(List.of(
                    new IngestLog.Finished(stored, new ProcessingResult(2, 40, 0, Set.of("aggregate"), List.of(), null)),
                    new IngestLog.Finished(quarantined, ProcessingResult.invalid("no report in it"))));
            assertEquals(IngestStatus.STORED, entries.get(0).status());
            assertEquals(40, entries.get(0).records());
            assertEquals(2, entries.get(0).reports());
            assertEquals(Set.of("aggregate"), entries.get(0).kinds());
            assertEquals(CLOCK.instant(), entries.get(0).finishedAt());
            assertEquals(IngestStatus.QUARANTINED, entries.get(1).status());
            assertEquals("no report in it", entries.get(1).detail());

            IngestLogEntry again = log.finished(stored, new ProcessingResult(0, 0, 2, Set.of("aggregate"), List.of(), null));
            assertEquals(IngestStatus.STORED, again.status(), "processed again after a crash: stays STORED");

            IngestLogEntry rejected = log.rejected(MessageOrigin.smtp("192.0.2.1", "mx.example", "a@example.net",
                    List.of("dmarc@example.org")), 99_000_000, "too large");
            assertEquals(IngestStatus.REJECTED, rejected.status());
            assertEquals(CLOCK.instant(), rejected.receivedAt());
            assertEquals("192.0.2.1", rejected.origin().detail("peer"));
            assertEquals("node-a", rejected.node());

            assertEquals(stored.id(), log.bySourceKey(stored.origin().sourceKey()).orElseThrow().id());
            assertEquals(Optional.empty(), log.bySourceKey("imap:nobody"));
            Map<IngestStatus, Long> counts = log.countByStatus();
            assertEquals(Map.of(IngestStatus.STORED, 1L, IngestStatus.QUARANTINED, 1L, IngestStatus.REJECTED, 1L,
                    IngestStatus.PENDING, 0L, IngestStatus.DUPLICATE, 0L, IngestStatus.DROPPED, 0L), counts);

            IngestLogPage page = log.page(null, 0, 2);
            assertEquals(3, page.total());
            assertEquals(2, page.entries().size());
            assertEquals(rejected.id(), page.entries().get(0).id(), "the newest (latest received) first");
            assertEquals(quarantined.id(), page.entries().get(1).id(), "same time: the greater id first");
            assertEquals(stored.id(), log.page(null, 2, 2).entries().get(0).id());
            assertEquals(1, log.page(IngestStatus.QUARANTINED, 0, 10).total());
            assertThrows(IllegalArgumentException.class, () -> log.page(null, 0, 1001));
        }
        try (IngestLog log = open("outcomes", "node-a")) {
            assertEquals("dmarc@example.org", log.get(stored.id()).orElseThrow().origin().detail("account"),
                    "kept across a reopen");
        }
    }

    @Test
    void aMessageDroppedFromTheQuarantineIsLoggedAsDroppedOnceAndItsBytesGo() {
        InboxMessage junk = message("20261129T205600123Z-000000000003", "3");
        InboxMessage stored = message("20261129T205600123Z-000000000004", "4");
        try (IngestLog log = open("dropped", "node-a")) {
            log.finished(List.of(new IngestLog.Finished(junk, ProcessingResult.invalid("no report in it")),
                    new IngestLog.Finished(stored, new ProcessingResult(1, 1, 0, Set.of("aggregate"), List.of(), null))));
            log.keepContent(junk.id(), "junk".getBytes(StandardCharsets.US_ASCII));
            log.dropped(junk.id(), "dropped from the quarantine: older than 30 days (quarantine.max_age)");
            log.dropped(stored.id(), "not quarantined: left alone");
            log.dropped("20261129T205600123Z-00000000000f", "unknown: nothing happens");
            IngestLogEntry e = log.get(junk.id()).orElseThrow();
            assertEquals(IngestStatus.DROPPED, e.status());
            assertEquals("dropped from the quarantine: older than 30 days (quarantine.max_age)\n"
                    + "quarantined because: no report in it", e.detail());
            assertEquals(IngestStatus.STORED, log.get(stored.id()).orElseThrow().status());
            assertEquals(Optional.empty(), log.content(junk.id()), "a dropped message's bytes go with it");
            log.dropped(junk.id(), "again");
            assertEquals(e.detail(), log.get(junk.id()).orElseThrow().detail(), "dropped once");
            assertEquals(1L, log.countByStatus().get(IngestStatus.DROPPED));
        }
    }

    @Test
    void twoNodesWriteOneLogAndEitherReadsTheBytesTheOtherQuarantined() {
        InboxMessage onA = message("20261129T205600123Z-00000000000a", "10");
        InboxMessage onB = new InboxMessage("20261129T205700000Z-00000000000b", RECEIVED.plusSeconds(60),
                MessageOrigin.smtp("192.0.2.7", "mx.example", "r@example.net", List.of("dmarc@example.org")), 5, "");
        byte[] bytes = "From: r@example.net\r\n\r\nnot a report \u00e9".getBytes(StandardCharsets.UTF_8);
        try (IngestLog a = open("shared", "node-a"); IngestLog b = open("shared", "node-b")) {
            a.accepted(onA);
            b.accepted(onB);
            a.finished(onA, ProcessingResult.invalid("no report in it"));
            a.keepContent(onA.id(), bytes);
            b.finished(onB, new ProcessingResult(1, 3, 0, Set.of("aggregate"), List.of(), null));

            IngestLogPage page = b.page(null, 0, 10);
            assertEquals(List.of(onB.id(), onA.id()), page.entries().stream().map(IngestLogEntry::id).toList(),
                    "one log, both nodes' messages");
            assertEquals(List.of("node-b", "node-a"), page.entries().stream().map(IngestLogEntry::node).toList());
            assertEquals(List.of(onA.id()), b.page(IngestStatus.QUARANTINED, 0, 10).entries().stream()
                    .map(IngestLogEntry::id).toList());
            assertArrayEquals(bytes, b.content(onA.id()).orElseThrow(), "B downloads what A quarantined");
            assertEquals(Set.of(onA.id()), b.withContent(List.of(onA.id(), onB.id(), "20261129T205600123Z-00000000000c")));

            IngestLogEntry retried = b.finished(onA, new ProcessingResult(1, 2, 0, Set.of("aggregate"), List.of(), null));
            b.forgetContent(onA.id());
            assertEquals(IngestStatus.STORED, retried.status(), "retried on B after a parser fix");
            assertEquals("node-a", a.get(onA.id()).orElseThrow().node(), "still the node that received it");
            assertEquals(Optional.empty(), a.content(onA.id()));
            assertEquals(Set.of(), a.withContent(List.of(onA.id())));
            assertEquals(2L, a.countByStatus().get(IngestStatus.STORED));
        }
    }
}
