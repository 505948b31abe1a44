package io.dmarclens.index.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.search.SearchIndex;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DateRange;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.ReportMetadata;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records handed to the search index with their commit, under a small bound on how many may wait: the
 * index ends up with exactly the committed records whether they came from memory or were read back
 * (groups over the bound, rolled-back reports, reports committed one by one, other writes committing a
 * group), and its marker stays right, so the store finds it in sync when it opens it again.
 */
class StagedIndexingTest {
    @TempDir
    Path dir;

    private static final String[] IPS = {"192.0.2.1", "192.0.2.2", "198.51.100.7", "2001:db8::5", "203.0.113.9"};

    private static AggregateHeader header(String reportId, long begin) {
        return new AggregateHeader(new ReportSource("t.xml", "part-" + reportId), "1.0", "",
                new ReportMetadata("google.com", "noreply@google.com", null, reportId, new DateRange(begin, begin + 86_399),
                        List.of(), null),
                new PolicyPublished("example.com", Disposition.NONE, Disposition.NONE, Disposition.NONE,
                        Alignment.RELAXED, Alignment.RELAXED, 100, "0", "n", null));
    }

    private static AggregateRecord record(int index, String ip) {
        return new AggregateRecord(index, ip, 1 + index, Disposition.NONE, DmarcResult.PASS, DmarcResult.FAIL, List.of(),
                "example.com", "example.com", null,
                List.of(new DkimAuthResult("example.com", "s1", AuthResult.PASS, "pass", null)),
                List.of(new SpfAuthResult("example.com", "mfrom", AuthResult.FAIL, "fail", null)));
    }

    private static long rows(Database db, String ip) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement(ip == null ? "SELECT COUNT(*) FROM aggregate_record"
                    : "SELECT COUNT(*) FROM aggregate_record WHERE source_ip = ?")) {
                if (ip != null) {
                    ps.setString(1, ip);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Test
    void indexHoldsExactlyTheCommittedRecordsWhicheverWayTheyCame() throws Exception {
        Files.createDirectories(dir.resolve(EmbeddedStore.INDEX_DIR));
        Random random = new Random(5);
        AtomicLong handedOver = new AtomicLong();
        try (Database db = Database.open(dir, 256L << 20, 7)) {
            SearchIndex index = SearchIndex.open(dir.resolve(EmbeddedStore.INDEX_DIR), db);
            try {
                db.onCommit(records -> {
                    handedOver.addAndGet(records.size());
                    index.committed(records);
                });
                StoreWrites writes = new StoreWrites(db, java.time.Clock.fixed(java.time.Instant.parse("2024-05-01T00:00:00Z"), java.time.ZoneOffset.UTC));
                long begin = 1_714_521_600L;
                int aborted = 0;
                for (int file = 0; file < 30; file++) {
                    CommitMode mode = file % 4 == 3 ? CommitMode.EACH_REPORT : CommitMode.GROUPED;
                    byte[] raw = ("<feedback>" + file + "</feedback>").getBytes(StandardCharsets.UTF_8);
                    try (ImportBatch batch = writes.beginImport(SourceFile.of("f" + file + ".xml", "test", raw), mode,
                            () -> { })) {
                        for (int r = 0; r < 3; r++) {
                            assertTrue(batch.beginAggregate(header("r" + file + "-" + r, begin + file * 86_400L)));
                            int size = 1 + random.nextInt(5);
                            for (int i = 0; i < size; i++) {
                                AggregateRecord rec = record(i, IPS[random.nextInt(IPS.length)]);
                                batch.record(rec, new RecordEnrichment(SenderInfo.UNKNOWN, true, false, true, false,
                                        Classification.COMPLIANT, null));
                            }
                            if (random.nextInt(5) == 0) {
                                batch.abortAggregate("cut off");
                                aborted++;
                            } else {
                                batch.endAggregate(List.of());
                            }
                        }
                        batch.commit();
                    }
                    if (file % 5 == 2) {
                        // Another write commits the open group first.
                        writes.updateSender(IPS[file % IPS.length], new SenderInfo("mx" + file + ".example.net", null,
                                "FR", null, null, null, null));
                    }
                }
                db.flush();
                index.awaitIndexed();
                long total = rows(db, null);
                assertTrue(aborted > 0);
                assertTrue(handedOver.get() > 0 && handedOver.get() < total,
                        "some records came from memory, some were read back: " + handedOver.get() + " of " + total);
                assertEquals(total, index.documentCounts().get("record"));
                for (String ip : IPS) {
                    assertEquals(rows(db, ip), index.search("ip:\"" + ip + "\"", 1_000, false, io.dmarclens.store.query.ResolvedScope.all()).totalHits(), ip);
                }
            } finally {
                index.close();
            }
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertEquals(SearchIndex.Check.IN_SYNC, store.searchIndex().lastCheck(), "the marker matches the rows");
        }
    }
}
