package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grouped imports write the rollups of a whole group of reports at once, just before the group's commit:
 * the tables must come out exactly as when every report writes its own, and a report rolled back inside
 * the group must leave no trace in them.
 */
class GroupedRollupsTest {
    static final LocalDate FIRST = LocalDate.of(2024, 6, 1);
    static final long DAY = 86_400;
    static final String[] TABLES = {"rollup_daily", "rollup_summary", "rollup_source", "rollup_forwarding_reasons"};
    static final Classification[] CLASSES = {null, Classification.COMPLIANT, Classification.FORWARDED,
            Classification.MISCONFIGURED, Classification.THREAT};

    @TempDir
    Path dir;

    /** One report: few days, reporters, domains and sources, so that reports share most rollup rows. */
    private record Report(AggregateHeader header, List<AggregateRecord> records, List<RecordEnrichment> enrichments) {
    }

    private static List<Report> reports(long seed, int count) {
        Random random = new Random(seed);
        String[] reporters = {"google.com", "Yahoo"};
        String[] domains = {"example.com", "example.org"};
        List<Report> out = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            long begin = KitReports.epoch(FIRST.plusDays(random.nextInt(4))) + (random.nextInt(3) == 0 ? 3_600 : 0);
            long end = begin + (random.nextInt(3) == 0 ? (1 + random.nextInt(3)) * DAY + random.nextInt(7_200) : DAY - 1);
            AggregateHeader header = KitReports.header(reporters[random.nextInt(reporters.length)], "g" + seed + "-" + n,
                    domains[random.nextInt(domains.length)], begin, end);
            List<AggregateRecord> records = new ArrayList<>();
            List<RecordEnrichment> enrichments = new ArrayList<>();
            int size = 1 + random.nextInt(30);
            for (int i = 0; i < size; i++) {
                records.add(record(i, random));
                enrichments.add(enrichment(random));
            }
            out.add(new Report(header, records, enrichments));
        }
        return out;
    }

    private static AggregateRecord record(int index, Random random) {
        String ip = random.nextInt(6) == 0 ? "2001:db8::" + random.nextInt(3) : "192.0.2." + random.nextInt(6);
        List<PolicyOverrideReason> reasons = random.nextInt(3) == 0
                ? List.of(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", null)) : List.of();
        String from = random.nextBoolean() ? "example.com" : "example.org";
        return new AggregateRecord(index, ip, 1 + random.nextInt(random.nextBoolean() ? 3 : 700),
                random.nextBoolean() ? Disposition.NONE : Disposition.QUARANTINE,
                random.nextBoolean() ? DmarcResult.PASS : DmarcResult.FAIL,
                random.nextBoolean() ? DmarcResult.PASS : DmarcResult.FAIL, reasons, from, from, "example.net",
                List.of(new DkimAuthResult(from, "s1", AuthResult.PASS, "pass", null)),
                List.of(new SpfAuthResult(from, "mfrom", AuthResult.FAIL, "fail", null)));
    }

    private static RecordEnrichment enrichment(Random random) {
        boolean dkim = random.nextBoolean();
        boolean spf = random.nextInt(3) == 0;
        Classification c = CLASSES[random.nextInt(CLASSES.length)];
        return new RecordEnrichment(SenderInfo.UNKNOWN, dkim, spf, dkim || spf, false, c, null);
    }

    /** Imports the reports, two per source file; {@code abortEvery} > 0 aborts every n-th report half-way. */
    private static int importAll(EmbeddedStore store, List<Report> reports, CommitMode mode, int abortEvery) {
        int stored = 0;
        for (int f = 0; f < reports.size(); f += 2) {
            ImportBatch batch = store.beginImport(KitReports.source("f" + f + "-" + reports.get(f).header().metadata()
                    .reportId() + ".zip"), mode);
            for (int n = f; n < Math.min(reports.size(), f + 2); n++) {
                Report r = reports.get(n);
                assertTrue(batch.beginAggregate(r.header()));
                boolean abort = abortEvery > 0 && n % abortEvery == abortEvery - 1;
                for (int i = 0; i < r.records().size(); i++) {
                    if (abort && i == r.records().size() / 2) {
                        break;
                    }
                    batch.record(r.records().get(i), r.enrichments().get(i));
                }
                if (abort) {
                    batch.abortAggregate("cut off in the middle");
                } else {
                    batch.endAggregate(List.of());
                    stored++;
                }
            }
            batch.commit();
        }
        return stored;
    }

    /** Every row of every rollup table (all columns but the row id), sorted, as text. */
    private static Map<String, List<String>> rollupTables(Path dataDir) throws Exception {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            for (String table : TABLES) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            if (!md.getColumnName(i).equalsIgnoreCase("id")) {
                                row.append(md.getColumnName(i)).append('=').append(rs.getString(i)).append(' ');
                            }
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.put(table, rows);
            }
        }
        return out;
    }

    private static long messagesOf(Path dataDir, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(messages), 0) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void groupedImportWritesExactlyTheRollupsOfOneCommitPerReport() throws Exception {
        List<Report> reports = reports(7, 40);
        Path each = Files.createDirectories(dir.resolve("each"));
        Path grouped = Files.createDirectories(dir.resolve("grouped"));
        try (EmbeddedStore store = EmbeddedStore.open(each)) {
            assertEquals(40, importAll(store, reports, CommitMode.EACH_REPORT, 0));
        }
        try (EmbeddedStore store = EmbeddedStore.open(grouped)) {
            assertEquals(40, importAll(store, reports, CommitMode.GROUPED, 0));
            store.flush();
        }
        Map<String, List<String>> expected = rollupTables(each);
        assertTrue(expected.get("rollup_daily").size() > 100, "a real mix of rows: " + expected.get("rollup_daily").size());
        assertFalse(expected.get("rollup_forwarding_reasons").isEmpty());
        assertEquals(expected, rollupTables(grouped));
        long recordMessages = reports.stream().flatMap(r -> r.records().stream()).mapToLong(AggregateRecord::count).sum();
        assertEquals(recordMessages, messagesOf(grouped, "rollup_daily"));
        assertEquals(recordMessages, messagesOf(grouped, "rollup_summary"));
    }

    @Test
    void reportRolledBackInsideAGroupLeavesNoRollups() throws Exception {
        List<Report> reports = reports(11, 30);
        List<Report> kept = new ArrayList<>();
        for (int n = 0; n < reports.size(); n++) {
            if (n % 3 != 2) {
                kept.add(reports.get(n));
            }
        }
        Path each = Files.createDirectories(dir.resolve("each"));
        Path grouped = Files.createDirectories(dir.resolve("grouped"));
        try (EmbeddedStore store = EmbeddedStore.open(each)) {
            assertEquals(20, importAll(store, kept, CommitMode.EACH_REPORT, 0));
        }
        try (EmbeddedStore store = EmbeddedStore.open(grouped)) {
            assertEquals(20, importAll(store, reports, CommitMode.GROUPED, 3));
            store.flush();
        }
        assertEquals(rollupTables(each), rollupTables(grouped));
    }

    @Test
    void anotherWriteCommitsTheGroupWithItsRollups() throws Exception {
        List<Report> reports = reports(13, 6);
        Path each = Files.createDirectories(dir.resolve("each"));
        Path grouped = Files.createDirectories(dir.resolve("grouped"));
        try (EmbeddedStore store = EmbeddedStore.open(each)) {
            importAll(store, reports, CommitMode.EACH_REPORT, 0);
        }
        try (EmbeddedStore store = EmbeddedStore.open(grouped)) {
            importAll(store, reports, CommitMode.GROUPED, 0);
            // A write of another kind commits the waiting group first: its rollups must be part of that commit.
            store.cachePtr("192.0.2.1", "mail.example.com", Instant.parse("2024-05-01T00:00:00Z"));
            assertEquals(rollupTables(each), rollupTables(grouped), "read from another connection before any flush");
            // And a receiver's import (committed per report) arriving in the middle of a group does the same.
            List<Report> more = reports(17, 4);
            importAll(store, more.subList(0, 2), CommitMode.GROUPED, 0);
            importAll(store, more.subList(2, 4), CommitMode.EACH_REPORT, 0);
            try (EmbeddedStore other = EmbeddedStore.open(Files.createDirectories(dir.resolve("each2")))) {
                importAll(other, reports, CommitMode.EACH_REPORT, 0);
                importAll(other, more, CommitMode.EACH_REPORT, 0);
            }
            assertEquals(rollupTables(dir.resolve("each2")), rollupTables(grouped));
        }
    }
}
