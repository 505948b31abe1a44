package io.dmarclens.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.contract.KitReports;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema version 7 on a store written by version 6: the forwarding reasons get their unverified flag from
 * rollup_daily (aggregate reports stored since version 5 may be unverified, so 0 for every row would be
 * wrong), and failure and TLS reports stored before are "not checked".
 */
class FailureTlsAuthenticityMigrationTest {
    private static final LocalDate D = LocalDate.of(2024, 5, 1);
    private static final String EVERY_REASON = "SELECT source_ip, day, reasons, unverified, messages"
            + " FROM rollup_forwarding_reasons ORDER BY 1, 2, 3, 4";

    @TempDir
    Path dir;

    @Test
    void version7FillsTheUnverifiedFlagOfForwardingReasonsFromTheFineRollup() throws Exception {
        long d = KitReports.epoch(D);
        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            // The same forwarder and reason in a verified and a forged report (one row each once flagged), a
            // reason only a forgery gives, in a report over two days (shares on both).
            aggregate(store, "genuine", d, d + 86_400, Authenticity.verified("DKIM signature of google.com"),
                    KitReports.forwarded(0, "192.0.2.80", 5, "example.com"));
            aggregate(store, "forged", d, d + 86_400, Authenticity.unverified("no DKIM signature"),
                    KitReports.forwarded(0, "192.0.2.80", 700, "example.com"));
            aggregate(store, "forged-2", d, d + 2 * 86_400, Authenticity.unverified("no DKIM signature"),
                    trustedForwarder("192.0.2.81", 301));
            try (ImportBatch batch = store.beginImport(KitReports.source("ruf.eml"))) {
                batch.failure(KitReports.failureReport("192.0.2.10", "s", "a@example.com", "<1@example.com>",
                        Instant.ofEpochSecond(d)), Authenticity.unverified("no DKIM signature"));
                batch.tls(KitReports.tlsReport("tls-1", Instant.ofEpochSecond(d)),
                        Authenticity.verified("DKIM signature of google.com"));
                batch.commit();
            }
        }
        List<List<Object>> written;
        try (Connection c = connect(); Statement st = c.createStatement()) {
            written = rows(st, EVERY_REASON);
            // Back to what version 6 left: the reasons without the flag, no verdict on failure and TLS reports.
            st.executeUpdate("CREATE TABLE old_reasons (source_ip TEXT NOT NULL, day INTEGER NOT NULL,"
                    + " reasons TEXT NOT NULL, messages INTEGER NOT NULL, PRIMARY KEY (source_ip, day, reasons))"
                    + " WITHOUT ROWID");
            st.executeUpdate("INSERT INTO old_reasons SELECT source_ip, day, reasons, SUM(messages)"
                    + " FROM rollup_forwarding_reasons GROUP BY source_ip, day, reasons");
            st.executeUpdate("DROP TABLE rollup_forwarding_reasons");
            st.executeUpdate("ALTER TABLE old_reasons RENAME TO rollup_forwarding_reasons");
            for (String table : List.of("failure_report", "tls_report")) {
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity");
                st.executeUpdate("ALTER TABLE " + table + " DROP COLUMN authenticity_reason");
            }
            st.executeUpdate("DROP TABLE rollup_reporter_source"); // what version 8 added
            st.executeUpdate("DELETE FROM schema_version WHERE version >= 7");
        }
        // 192.0.2.80 on one day, verified and not; 192.0.2.81 on two days, unverified only.
        assertEquals(4, written.size());
        assertEquals(1, written.stream().filter(r -> ((Number) r.get(3)).intValue() == 0).count());

        try (EmbeddedStore store = EmbeddedStore.open(dir)) {
            ReportFilter range = new ReportFilter(D, D.plusDays(3), Set.of(), Set.of());
            List<ForwardingSource> trusted = store.forwarding().forwardingSources(range.excludingUnverified(true),
                    Page.first(5));
            assertEquals(1, trusted.size());
            assertEquals(List.of("forwarded"), trusted.get(0).overrideReasons());
            assertEquals(Authenticity.Verdict.NOT_CHECKED, store.failureReports()
                    .failureReports(ReportFilter.all(), Page.first(1)).get(0).authenticity().verdict());
            assertEquals(new Authenticity(Authenticity.Verdict.NOT_CHECKED, "stored before TLS reports were checked"),
                    store.tlsReports().tlsReports(ReportFilter.all(), Page.first(1)).get(0).authenticity());
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            assertEquals(written, rows(st, EVERY_REASON));
        }
    }

    private static AggregateRecord trustedForwarder(String ip, long count) {
        AggregateRecord f = KitReports.forwarded(0, ip, count, "example.com");
        return new AggregateRecord(0, ip, count, Disposition.NONE, DmarcResult.PASS, DmarcResult.FAIL,
                List.of(new PolicyOverrideReason(PolicyOverride.TRUSTED_FORWARDER, "trusted_forwarder", null)),
                "example.com", "lists.example.org", "example.net", f.dkimResults(), f.spfResults());
    }

    private static void aggregate(EmbeddedStore store, String id, long begin, long end, Authenticity authenticity,
                                  AggregateRecord r) {
        try (ImportBatch batch = store.beginImport(KitReports.source(id + ".xml"))) {
            if (batch.beginAggregate(KitReports.header("google.com", id, "example.com", begin, end), authenticity)) {
                batch.record(r, KitReports.enrichment(r, null));
                batch.endAggregate(List.of());
            }
            batch.commit();
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("dmarc-lens.db"));
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
