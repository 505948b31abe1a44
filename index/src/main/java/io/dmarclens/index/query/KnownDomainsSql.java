package io.dmarclens.index.query;

import io.dmarclens.index.store.Database;
import io.dmarclens.store.query.KnownDomains;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** Reads the domains the embedded store holds, for resolving scopes ({@code ScopeResolver} caches them). */
public final class KnownDomainsSql {
    private KnownDomainsSql() {
    }

    /** The policy domains of aggregate and TLS reports and the reported domains of failure reports. */
    public static KnownDomains load(Database db) {
        return db.read(c -> new KnownDomains(
                distinct(c, "SELECT DISTINCT policy_domain FROM aggregate_report"),
                distinct(c, "SELECT DISTINCT policy_domain FROM tls_policy"),
                distinct(c, "SELECT DISTINCT lower(j.value) FROM failure_report f, json_each(f.reported_domain) j")));
    }

    private static Set<String> distinct(Connection c, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (rs.getString(1) != null) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
