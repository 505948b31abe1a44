package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.SupersededCopy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Reads that several read models share: senders by IP, parse warnings, replaced copies, rows by id, SQL
 * placeholders.
 */
final class SharedReads {
    private SharedReads() {
    }

    static Map<String, SenderInfo> senders(Connection c, List<String> ips) throws SQLException {
        Map<String, SenderInfo> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT ip, reverse_dns, base_domain, country, asn, as_name,"
                + " sender_name, sender_type FROM sender WHERE ip IN (" + placeholders(ips.size()) + ")")) {
            for (int i = 0; i < ips.size(); i++) {
                ps.setString(i + 1, ips.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Rows.sender(rs, 2));
                }
            }
        }
        return out;
    }

    static List<ParseWarning> warnings(Connection c, String kind, long id) throws SQLException {
        List<ParseWarning> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT location, message FROM report_warning"
                + " WHERE kind = ? AND report_ref = ? ORDER BY id")) {
            ps.setString(1, kind);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ParseWarning(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return out;
    }

    /** The less complete copies a stored report replaced, oldest first. */
    static List<SupersededCopy> superseded(Connection c, String kind, long id) throws SQLException {
        List<SupersededCopy> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.source_id, sf.name, s.source_part, s.record_count,"
                + " s.partial, s.imported_at, s.superseded_at FROM superseded_copy s JOIN source_file sf"
                + " ON sf.id = s.source_id WHERE s.kind = ? AND s.report_ref = ? ORDER BY s.imported_at, s.id")) {
            ps.setString(1, kind);
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SupersededCopy(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5), Instant.ofEpochSecond(rs.getLong(6)), Instant.ofEpochSecond(rs.getLong(7))));
                }
            }
        }
        return out;
    }

    /** Reads one row of a result set. */
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Rows by id, in the order given (ids not found are left out), asked for in chunks of 500 so that no
     * statement exceeds SQLite's parameter limit; {@code selectIn} ends with "IN (".
     */
    static <T> List<T> byIds(Database db, List<Long> ids, String selectIn, RowReader<T> reader,
                              Function<T, Long> idOf) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return db.read(c -> {
            Map<Long, T> byId = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 500) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement(selectIn + placeholders(chunk.size()) + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setLong(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            T row = reader.read(rs);
                            byId.put(idOf.apply(row), row);
                        }
                    }
                }
            }
            return ids.stream().map(byId::get).filter(Objects::nonNull).toList();
        });
    }

    /**
     * Reports of one table ({@code aggregate_report}, {@code failure_report}, {@code tls_report}: a constant of
     * ours) per verdict on their origin, every verdict present.
     */
    static Map<Authenticity.Verdict, Long> countByVerdict(Database db, String table) {
        return countByVerdict(db, table, null);
    }

    /**
     * As {@link #countByVerdict(Database, String)}, counting the rows {@code where} admits ({@code null}: all);
     * its conditions name the table as alias {@code r}, {@code f} or {@code t}.
     */
    static Map<Authenticity.Verdict, Long> countByVerdict(Database db, String table, FilterSql where) {
        return db.read(c -> {
            Map<Authenticity.Verdict, Long> out = new EnumMap<>(Authenticity.Verdict.class);
            for (Authenticity.Verdict v : Authenticity.Verdict.values()) {
                out.put(v, 0L);
            }
            String alias = switch (table) {
                case "aggregate_report" -> "r";
                case "failure_report" -> "f";
                default -> "t";
            };
            try (PreparedStatement ps = c.prepareStatement("SELECT " + alias + ".authenticity, COUNT(*) FROM " + table + " "
                    + alias + (where == null ? "" : where.where()) + " GROUP BY " + alias + ".authenticity")) {
                if (where != null) {
                    where.bind(ps);
                }
                ResultSet rs = ps.executeQuery();
                while (rs.next()) {
                    out.merge(Authenticity.Verdict.ofCode(rs.getString(1)), rs.getLong(2), Long::sum);
                }
            }
            return out;
        });
    }

    static String placeholders(int n) {
        return String.join(",", java.util.Collections.nCopies(n, "?"));
    }
}
