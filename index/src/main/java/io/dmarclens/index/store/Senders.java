package io.dmarclens.index.store;

import io.dmarclens.store.enrichment.SenderInfo;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;

/** Writes what enrichment knows about source IPs; a known value is never replaced by an unknown one. */
final class Senders {
    private Senders() {
    }

    static void upsert(Connection c, Map<String, SenderInfo> senders, Instant updatedAt) throws SQLException {
        if (senders.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO sender (ip, reverse_dns, base_domain, country, asn,"
                + " as_name, sender_name, sender_type, updated_at) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT (ip) DO UPDATE SET"
                + " reverse_dns = COALESCE(excluded.reverse_dns, reverse_dns),"
                + " base_domain = COALESCE(excluded.base_domain, base_domain),"
                + " country = COALESCE(excluded.country, country), asn = COALESCE(excluded.asn, asn),"
                + " as_name = COALESCE(excluded.as_name, as_name),"
                + " sender_name = COALESCE(excluded.sender_name, sender_name),"
                + " sender_type = COALESCE(excluded.sender_type, sender_type), updated_at = excluded.updated_at")) {
            long now = updatedAt.getEpochSecond();
            for (Map.Entry<String, SenderInfo> e : senders.entrySet()) {
                SenderInfo s = e.getValue();
                ps.setString(1, e.getKey());
                ps.setString(2, s.reverseDns());
                ps.setString(3, s.baseDomain());
                ps.setString(4, s.country());
                if (s.asn() == null) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    ps.setLong(5, s.asn());
                }
                ps.setString(6, s.asName());
                ps.setString(7, s.senderName());
                ps.setString(8, s.senderType());
                ps.setLong(9, now);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Replaces what is known about one IP (values given as null are kept). */
    static void upsert(Connection c, String ip, SenderInfo info, Instant updatedAt) throws SQLException {
        upsert(c, Map.of(ip, info), updatedAt);
    }
}
