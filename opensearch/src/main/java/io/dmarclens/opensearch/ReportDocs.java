package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.query.PolicyPeriod;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.SupersededCopy;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.query.TlsPolicyRow;
import io.dmarclens.store.query.TlsReportDetail;
import io.dmarclens.store.query.TlsReportSummary;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One report document with what hangs on it: the detail of an aggregate or TLS report, with the names of
 * its raw sources (its own and those of the copies it replaced), and the parse warnings of any kind.
 */
final class ReportDocs {
    private final Reads reads;

    ReportDocs(Reads reads) {
        this.reads = reads;
    }

    /** The visible document of {@code family} whose {@code refField} is {@code id}, or null. */
    JsonNode one(Family family, String refField, long id) {
        ObjectNode query = reads.visible(refField.equals("failure_id") ? null : refField);
        Reads.filters(query).add(Dsl.term(refField, id));
        List<JsonNode> hits = reads.page(family, query, Order.sort(refField, "asc"), io.dmarclens.store.query.Page.first(1));
        return hits.isEmpty() ? null : hits.get(0).path("_source");
    }

    Optional<ReportDetail> detail(long id) {
        JsonNode r = one(Family.REPORTS, "report_ref", id);
        if (r == null) {
            return Optional.empty();
        }
        ReportSummary summary = Rows.report(r);
        PolicyPeriod policy = new PolicyPeriod(summary.policyDomain(), Rows.text(r, "p"), Rows.text(r, "sp"),
                Rows.text(r, "adkim"), Rows.text(r, "aspf"), r.hasNonNull("pct") ? r.path("pct").asInt() : null,
                summary.begin(), summary.end(), 1);
        List<SupersededCopy> superseded = superseded(r);
        return Optional.of(new ReportDetail(summary, Rows.text(r, "extra_contact"), Rows.text(r, "version"),
                Rows.text(r, "generator"), Rows.strings(r, "errors"), policy, Rows.warnings(r),
                sourceNames(List.of(summary.sourceId())).get(summary.sourceId()), Rows.text(r, "source_part"),
                superseded));
    }

    Optional<TlsReportDetail> tlsDetail(long id, Map<Integer, List<TlsFailureRow>> failures) {
        JsonNode t = one(Family.TLS, "tls_ref", id);
        if (t == null) {
            return Optional.empty();
        }
        TlsReportSummary summary = Rows.tls(t);
        List<TlsPolicyRow> policies = new ArrayList<>();
        int i = 0;
        for (JsonNode p : t.path("policies")) {
            int position = i++;
            policies.add(new TlsPolicyRow(Rows.text(p, "policy_type"), Rows.strings(p, "policy_string"),
                    Rows.text(p, "policy_domain"), Rows.strings(p, "mx_host"), p.path("successful_sessions").asLong(),
                    p.path("failed_sessions").asLong(), failures.getOrDefault(position, List.of())));
        }
        return Optional.of(new TlsReportDetail(summary, policies, Rows.warnings(t), superseded(t)));
    }

    /** Parse warnings of a report of any kind. */
    List<ParseWarning> warnings(String kind, long id) {
        if (kind.equals("failure")) {
            JsonNode doc = one(Family.FAILURES, "failure_id", id);
            return doc == null ? List.of() : Rows.failureWarnings(doc);
        }
        JsonNode doc = switch (kind) {
            case "aggregate" -> one(Family.REPORTS, "report_ref", id);
            case "tls" -> one(Family.TLS, "tls_ref", id);
            default -> null;
        };
        return doc == null ? List.of() : Rows.warnings(doc);
    }

    private List<SupersededCopy> superseded(JsonNode report) {
        List<JsonNode> copies = new ArrayList<>();
        report.path("superseded").forEach(copies::add);
        if (copies.isEmpty()) {
            return List.of();
        }
        Map<Long, String> names = sourceNames(copies.stream().map(c -> c.path("source_ref").asLong()).toList());
        List<SupersededCopy> out = new ArrayList<>();
        for (JsonNode c : copies) {
            long source = c.path("source_ref").asLong();
            out.add(new SupersededCopy(source, names.get(source), Rows.text(c, "source_part"), c.path("records").asLong(),
                    Rows.text(c, "partial"), Rows.seconds(c, "imported_at"), Rows.seconds(c, "superseded_at")));
        }
        return out;
    }

    /** The names of raw sources by id. */
    Map<Long, String> sourceNames(List<Long> ids) {
        Map<Long, String> out = new HashMap<>();
        ObjectNode query = reads.visible(null);
        Reads.filters(query).add(Dsl.termsLong("source_id", ids));
        reads.each(Family.SOURCES, query, Order.sort("source_id", "asc"),
                hit -> out.put(hit.path("_source").path("source_id").asLong(), Rows.text(hit.path("_source"), "name")));
        return out;
    }
}
