package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.retention.RetentionPolicy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact per-source rollups answer the source lists exactly as the fine rollup does: the same store
 * is asked once without a domain filter (rollup_source, or rollup_reporter_source for some reporters) and once
 * with the set of every domain (rollup_daily, the same mail), over many ranges, after re-classification and
 * retention, and after the schema migrations backfilled them into a store written before they existed.
 */
class SourceRollupTest {
    static final LocalDate FIRST = LocalDate.of(2024, 3, 1);
    static final long DAY = 86_400;
    static final String[] REPORTERS = {"google.com", "Yahoo", "Outlook.com", "mail.ru"};
    static final String[] DOMAINS = {"example.com", "example.org", "example.net"};
    static final Classification[] CLASSES = {null, Classification.COMPLIANT, Classification.FORWARDED,
            Classification.MISCONFIGURED, Classification.THREAT};

    @TempDir
    Path dir;

    /** 80 reports over 60 days (some spanning several days), 40 sources, every classification and reason kind. */
    private static void fill(EmbeddedStore store, Random random) {
        for (int file = 0; file < 8; file++) {
            // Ten reports per source file, as in a zip of several reports: one transaction each.
            ImportBatch batch = store.beginImport(KitReports.source("f" + file + ".zip"));
            for (int n = file * 10; n < file * 10 + 10; n++) {
                long begin = KitReports.epoch(FIRST.plusDays(random.nextInt(60)));
                long end = begin + (random.nextInt(4) == 0 ? (1 + random.nextInt(4)) * DAY + random.nextInt(3600) : DAY - 1);
                var header = KitReports.header(REPORTERS[random.nextInt(REPORTERS.length)], "r" + n,
                        DOMAINS[random.nextInt(DOMAINS.length)], begin, end);
                if (batch.beginAggregate(header)) {
                    int records = 1 + random.nextInt(25);
                    for (int i = 0; i < records; i++) {
                        batch.record(record(i, random), enrichment(random));
                    }
                    batch.endAggregate(List.of());
                }
            }
            assertEquals(10, batch.commit().aggregateReports());
        }
    }

    private static AggregateRecord record(int index, Random random) {
        String ip = random.nextInt(5) == 0 ? "2001:db8::" + Integer.toHexString(random.nextInt(8))
                : "192.0.2." + random.nextInt(32);
        List<PolicyOverrideReason> reasons = new ArrayList<>();
        int kind = random.nextInt(6);
        if (kind == 1) {
            reasons.add(new PolicyOverrideReason(PolicyOverride.FORWARDED, "forwarded", null));
        } else if (kind == 2) {
            reasons.add(new PolicyOverrideReason(PolicyOverride.MAILING_LIST, "mailing_list", "list"));
            reasons.add(new PolicyOverrideReason(PolicyOverride.LOCAL_POLICY, "local_policy", null));
        } else if (kind == 3) {
            reasons.add(new PolicyOverrideReason(PolicyOverride.TRUSTED_FORWARDER, "trusted_forwarder", null));
        }
        String from = DOMAINS[random.nextInt(DOMAINS.length)];
        return new AggregateRecord(index, ip, 1 + random.nextInt(random.nextBoolean() ? 5 : 500),
                Disposition.values()[random.nextInt(Disposition.values().length)],
                random.nextBoolean() ? DmarcResult.PASS : DmarcResult.FAIL,
                random.nextBoolean() ? DmarcResult.PASS : DmarcResult.FAIL, reasons, from, from, "example.net",
                List.of(new DkimAuthResult(from, "s" + random.nextInt(3), AuthResult.PASS, "pass", null)),
                List.of(new SpfAuthResult(from, "mfrom", AuthResult.FAIL, "fail", null)));
    }

    private static RecordEnrichment enrichment(Random random) {
        boolean dkim = random.nextBoolean();
        boolean spf = random.nextInt(3) == 0;
        Classification c = CLASSES[random.nextInt(CLASSES.length)];
        return new RecordEnrichment(SenderInfo.UNKNOWN, dkim, spf, dkim || spf, false, c,
                c == null ? null : "because " + c.token());
    }

    /** Every source query of the dashboard, once per path, over the given ranges. */
    private static void assertBothPathsAgree(EmbeddedStore store, List<ReportFilter> ranges) {
        Set<String> everyDomain = Set.of(DOMAINS);
        for (ReportFilter compact : ranges) {
            ReportFilter fine = compact.withDomains(everyDomain);
            String what = compact.from() + ".." + compact.to();
            for (Set<String> reporters : List.of(Set.of("Yahoo"), Set.of("google.com", "mail.ru"), Set.of(REPORTERS),
                    Set.of("nobody.example"))) {
                ReportFilter some = compact.withReporters(reporters);
                for (SourceSort sort : SourceSort.values()) {
                    assertEquals(store.sources().sources(some.withDomains(everyDomain), sort, Page.first(500)),
                            store.sources().sources(some, sort, Page.first(500)), reporters + " " + sort + " " + what);
                }
                assertEquals(store.sources().failingSources(some.withDomains(everyDomain), new Page(3, 5)),
                        store.sources().failingSources(some, new Page(3, 5)), reporters + " " + what);
                assertEquals(store.sources().countSources(some.withDomains(everyDomain)),
                        store.sources().countSources(some), reporters + " " + what);
            }
            for (SourceSort sort : SourceSort.values()) {
                assertEquals(store.sources().sources(fine, sort, Page.first(500)), store.sources().sources(compact, sort, Page.first(500)),
                        sort + " " + what);
                assertEquals(store.sources().sources(fine, sort, new Page(5, 7)), store.sources().sources(compact, sort, new Page(5, 7)),
                        sort + " page " + what);
            }
            assertEquals(store.sources().failingSources(fine, Page.first(20)), store.sources().failingSources(compact, Page.first(20)), what);
            assertEquals(store.sources().countSources(fine), store.sources().countSources(compact), what);
            assertEquals(store.forwarding().forwardingSources(fine, Page.first(500)), store.forwarding().forwardingSources(compact, Page.first(500)), what);
            assertEquals(store.forwarding().forwardingSources(fine, new Page(2, 3)), store.forwarding().forwardingSources(compact, new Page(2, 3)), what);
            List<Object> all = new ArrayList<>();
            store.sources().allSources(compact, all::add);
            List<Object> allFine = new ArrayList<>();
            store.sources().allSources(fine, allFine::add);
            assertEquals(allFine, all, what);
        }
    }

    /** Ranges inside, across and around seven-day buckets, open at either end, and a single day. */
    private static List<ReportFilter> ranges(Random random, int randomRanges) {
        List<ReportFilter> out = new ArrayList<>(List.of(ReportFilter.all(),
                new ReportFilter(null, FIRST.plusDays(30), Set.of(), Set.of()),
                new ReportFilter(FIRST.plusDays(17), null, Set.of(), Set.of()),
                new ReportFilter(FIRST.plusDays(9), FIRST.plusDays(9), Set.of(), Set.of()),
                ReportFilter.lastDays(90, FIRST.plusDays(62)),
                new ReportFilter(FIRST.minusDays(40), FIRST.minusDays(1), Set.of(), Set.of())));
        for (int i = 0; i < randomRanges; i++) {
            LocalDate from = FIRST.plusDays(random.nextInt(66) - 3);
            out.add(new ReportFilter(from, from.plusDays(random.nextInt(i % 2 == 0 ? 9 : 50)), Set.of(), Set.of()));
        }
        return out;
    }

    /** Totals of rollup_source per span, and of rollup_daily, must agree; no row may be zero or negative. */
    private void assertSumsAgree() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            String fine = "SELECT SUM(messages), SUM(dmarc_pass * messages), SUM(spf_aligned * messages),"
                    + " SUM(dkim_aligned * messages), SUM(CASE WHEN classification = 'forwarded' THEN messages END),"
                    + " SUM(CASE WHEN classification = '' THEN messages END) FROM rollup_daily";
            String compact = "SELECT SUM(messages), SUM(dmarc_pass), SUM(spf_aligned), SUM(dkim_aligned), SUM(forwarded),"
                    + " SUM(unclassified) FROM rollup_source WHERE span = ";
            List<Long> expected = row(st, fine);
            assertTrue(expected.get(0) > 0);
            assertEquals(expected, row(st, compact + 1));
            assertEquals(expected, row(st, compact + 7));
            assertEquals(List.of(expected.get(4)), row(st, "SELECT SUM(messages) FROM rollup_forwarding_reasons"));
            assertEquals(List.of(0L), row(st, "SELECT COUNT(*) FROM rollup_source WHERE messages <= 0 OR day % 7 <> 0 AND span = 7"));
            assertEquals(List.of(0L), row(st, "SELECT COUNT(*) FROM rollup_forwarding_reasons WHERE messages <= 0"));
            String perReporter = "SELECT SUM(messages), SUM(dmarc_pass), SUM(spf_aligned), SUM(dkim_aligned),"
                    + " SUM(forwarded), SUM(unclassified) FROM rollup_reporter_source WHERE span = ";
            assertEquals(expected, row(st, perReporter + 1));
            assertEquals(expected, row(st, perReporter + 7));
            for (String reporter : REPORTERS) { // test data only: no quotes in the names
                assertEquals(row(st, fine + " WHERE reporter = '" + reporter + "'"),
                        row(st, perReporter + "7 AND reporter = '" + reporter + "'"), reporter);
            }
            assertEquals(List.of(0L), row(st, "SELECT COUNT(*) FROM rollup_reporter_source WHERE messages <= 0"
                    + " OR day % 7 <> 0 AND span = 7"));
        }
    }

    private static List<Long> row(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            List<Long> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                out.add(rs.getLong(i));
            }
            return out;
        }
    }

    @Test
    void sourceListsAreTheSameFromTheCompactRollupAsFromTheFineOne() throws Exception {
        Random random = new Random(7);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store, random);
            assertTrue(store.sources().countSources(ReportFilter.all()) > 30);
            assertFalse(store.forwarding().forwardingSources(ReportFilter.all(), Page.first(50)).isEmpty());
            assertTrue(store.forwarding().forwardingSources(ReportFilter.all(), Page.first(50)).stream()
                    .anyMatch(s -> s.overrideReasons().size() > 1));
            assertBothPathsAgree(store, ranges(random, 10));
        }
        assertSumsAgree();
    }

    @Test
    void reclassificationAndRetentionKeepTheCompactRollupExact() throws Exception {
        Random random = new Random(11);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store, random);
            for (String ip : List.of("192.0.2.3", "192.0.2.17", "2001:db8::5")) {
                Classification next = CLASSES[random.nextInt(CLASSES.length)];
                int changed = store.reclassify(ip, facts -> new RecordEnrichment(facts.sender(), !facts.current().dkimAligned(),
                        facts.current().spfAligned(), !facts.current().dmarcPass(), false, next, "moved"));
                assertTrue(changed > 0, ip);
            }
            assertBothPathsAgree(store, ranges(random, 2));
            assertSumsAgree();

            Instant now = Instant.ofEpochSecond(KitReports.epoch(FIRST.plusDays(61)));
            assertTrue(store.applyRetention(new RetentionPolicy(null, Duration.ofDays(30)), now).aggregateReports() > 0);
            assertEquals(0, store.sources().countSources(new ReportFilter(null, FIRST.plusDays(20), Set.of(), Set.of())));
            assertBothPathsAgree(store, ranges(random, 2));
        }
        assertSumsAgree();
    }

    /**
     * Filtered by domains or reporters, the source queries seek rollup_daily by (day, domain, reporter):
     * they must give exactly what a plain scan of the fine rows over the day range gives.
     */
    @Test
    void filteredSourceListsMatchAPlainScanOfTheFineRollup() throws Exception {
        Random random = new Random(5);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store, random);
            List<ReportFilter> filters = new ArrayList<>();
            for (ReportFilter range : ranges(random, 4)) {
                filters.add(range.withDomains(Set.of("example.org")));
                filters.add(range.withDomains(Set.of("example.com", "example.net")));
                filters.add(range.withReporters(Set.of("Yahoo")));
                filters.add(range.withReporters(Set.of("google.com", "mail.ru")));
                filters.add(range.withDomains(Set.of("example.com")).withReporters(Set.of("Outlook.com")));
                filters.add(range.withDomains(Set.of("nothing.example")));
            }
            int nonEmpty = 0;
            for (ReportFilter f : filters) {
                String what = f.toString();
                List<List<Object>> expected = plainScan(f);
                List<List<Object>> actual = new ArrayList<>();
                store.sources().allSources(f, s -> actual.add(List.of(s.ip(), s.messages(), s.dmarcPass(),
                        s.spfAligned(), s.dkimAligned())));
                actual.sort(java.util.Comparator.comparing(r -> (String) r.get(0)));
                assertEquals(expected, actual, what);
                assertEquals(expected.size(), store.sources().countSources(f), what);
                long forwarded = store.forwarding().forwardingSources(f, Page.first(500)).stream()
                        .mapToLong(s -> s.messages()).sum();
                assertEquals(plainForwarded(f), forwarded, what);
                nonEmpty += expected.isEmpty() ? 0 : 1;
            }
            assertTrue(nonEmpty > filters.size() / 2, "most filters select some sources: " + nonEmpty);
        }
    }

    private List<List<Object>> plainScan(ReportFilter f) throws Exception {
        return plain("SELECT source_ip, SUM(messages), SUM(dmarc_pass * messages), SUM(spf_aligned * messages),"
                + " SUM(dkim_aligned * messages) FROM rollup_daily WHERE %s GROUP BY source_ip ORDER BY source_ip", f);
    }

    private long plainForwarded(ReportFilter f) throws Exception {
        List<List<Object>> rows = plain("SELECT COALESCE(SUM(messages), 0) FROM rollup_daily WHERE %s"
                + " AND classification = 'forwarded'", f);
        return (Long) rows.get(0).get(0);
    }

    /** Runs {@code sql} with a WHERE clause written out by hand for {@code f} (test data only, no user input). */
    private List<List<Object>> plain(String sql, ReportFilter f) throws Exception {
        StringBuilder where = new StringBuilder("day BETWEEN " + f.fromDay() + " AND " + f.toDay());
        if (!f.domains().isEmpty()) {
            where.append(" AND policy_domain IN ('").append(String.join("','", f.domains())).append("')");
        }
        if (!f.reporters().isEmpty()) {
            where.append(" AND reporter IN ('").append(String.join("','", f.reporters())).append("')");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            List<List<Object>> out = new ArrayList<>();
            for (List<Object> row : rows(st, String.format(sql, where))) {
                List<Object> r = new ArrayList<>();
                for (Object v : row) {
                    r.add(v instanceof Number n ? (Object) n.longValue() : v);
                }
                out.add(r);
            }
            return out;
        }
    }

    @Test
    void upgradingAStoreWrittenBeforeVersions3And8BackfillsTheSameRows() throws Exception {
        Random random = new Random(3);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            fill(store, random);
        }
        String everyRow = "SELECT span, day, source_ip, messages, dmarc_pass, spf_aligned, dkim_aligned, unclassified,"
                + " compliant, forwarded, misconfigured, threat, forwarded_dkim_aligned FROM rollup_source"
                + " ORDER BY span, day, source_ip";
        String everyReason = "SELECT source_ip, day, reasons, messages FROM rollup_forwarding_reasons ORDER BY 1, 2, 3";
        String everyReporterRow = "SELECT * FROM rollup_reporter_source ORDER BY reporter, span, day, source_ip";
        List<List<Object>> written;
        List<List<Object>> writtenReasons;
        List<List<Object>> writtenPerReporter;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            written = rows(st, everyRow);
            writtenReasons = rows(st, everyReason);
            writtenPerReporter = rows(st, everyReporterRow);
            st.executeUpdate("DROP TABLE rollup_reporter_source"); // what version 8 added
            // Back to what version 2 left: no compact rollups, the covering index, version 2 recorded.
            st.executeUpdate("DROP TABLE rollup_source");
            st.executeUpdate("DROP TABLE rollup_forwarding_reasons");
            st.executeUpdate("CREATE INDEX rollup_daily_source ON rollup_daily (source_ip, day, policy_domain, reporter,"
                    + " dmarc_pass, spf_aligned, dkim_aligned, classification, reasons, messages)");
            // and without what version 4 added (partial reports)
            st.executeUpdate("DROP TABLE superseded_copy");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN partial");
            st.executeUpdate("ALTER TABLE tls_report DROP COLUMN partial");
            // and without what version 5 added (report authenticity; its rollup flag column may stay: it is 0)
            st.executeUpdate("DROP INDEX aggregate_report_unverified");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN authenticity");
            st.executeUpdate("ALTER TABLE aggregate_report DROP COLUMN authenticity_reason");
            st.executeUpdate("ALTER TABLE failure_report DROP COLUMN partial"); // and version 6
            for (String table : List.of("failure_report", "tls_report")) { // and version 7
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity");
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity_reason");
            }
            st.executeUpdate("DELETE FROM schema_version WHERE version >= 3");
        }
        assertTrue(written.size() > 100);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            assertBothPathsAgree(store, ranges(random, 2));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
             Statement st = c.createStatement()) {
            assertEquals(written, rows(st, everyRow));
            assertEquals(writtenReasons, rows(st, everyReason));
            assertEquals(writtenPerReporter, rows(st, everyReporterRow));
            assertEquals(List.of(0L), row(st, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'rollup_daily_source'"));
        }
        assertSumsAgree();
    }

    private static List<List<Object>> rows(Statement st, String sql) throws Exception {
        List<List<Object>> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getObject(i));
                }
                out.add(row);
            }
        }
        return out;
    }
}
