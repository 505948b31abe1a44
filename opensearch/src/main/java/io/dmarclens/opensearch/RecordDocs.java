package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import io.dmarclens.store.enrichment.SenderInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads stored documents back into the report model (the reverse of {@link Docs}). */
final class RecordDocs {
    private RecordDocs() {
    }

    static AggregateRecord record(JsonNode d) {
        List<PolicyOverrideReason> reasons = new ArrayList<>();
        for (JsonNode r : d.path("reasons")) {
            reasons.add(new PolicyOverrideReason(r.hasNonNull("type") ? PolicyOverride.valueOf(r.path("type").asText())
                    : null, text(r, "raw_type"), text(r, "comment")));
        }
        List<DkimAuthResult> dkim = new ArrayList<>();
        for (JsonNode r : d.path("dkim_results")) {
            dkim.add(new DkimAuthResult(text(r, "domain"), text(r, "selector"), auth(r), text(r, "raw_result"),
                    text(r, "human_result")));
        }
        List<SpfAuthResult> spf = new ArrayList<>();
        for (JsonNode r : d.path("spf_results")) {
            spf.add(new SpfAuthResult(text(r, "domain"), text(r, "scope"), auth(r), text(r, "raw_result"),
                    text(r, "human_result")));
        }
        return new AggregateRecord(d.path("idx").asInt(), d.path("source_ip").asText(), d.path("count").asLong(),
                disposition(text(d, "disposition")), dmarc(text(d, "dkim")), dmarc(text(d, "spf")), reasons,
                text(d, "header_from"), text(d, "envelope_from"), text(d, "envelope_to"), dkim, spf);
    }

    static RecordEnrichment enrichment(JsonNode d, SenderInfo sender) {
        String cls = text(d, "classification");
        return new RecordEnrichment(sender, d.path("dkim_aligned").asBoolean(), d.path("spf_aligned").asBoolean(),
                d.path("dmarc_pass").asBoolean(), d.path("verdict_disagrees").asBoolean(),
                cls == null || cls.isEmpty() ? null : Classification.valueOf(cls.toUpperCase(Locale.ROOT)),
                text(d, "classification_reason"));
    }

    static PolicyPublished policy(JsonNode report) {
        return new PolicyPublished(text(report, "policy_domain"), disposition(text(report, "p")),
                disposition(text(report, "sp")), disposition(text(report, "np")), alignment(text(report, "adkim")),
                alignment(text(report, "aspf")), report.hasNonNull("pct") ? report.path("pct").asInt() : null,
                text(report, "fo"), text(report, "testing"), text(report, "discovery"));
    }

    static SenderInfo sender(JsonNode s) {
        if (s == null || s.isMissingNode()) {
            return SenderInfo.UNKNOWN;
        }
        return new SenderInfo(text(s, "reverse_dns"), text(s, "base_domain"), text(s, "country"),
                s.hasNonNull("asn") ? s.path("asn").asLong() : null, text(s, "as_name"), text(s, "sender_name"),
                text(s, "sender_type"));
    }

    static RollupKey rollupKey(JsonNode d) {
        List<String> types = new ArrayList<>();
        d.path("reason_types").forEach(t -> types.add(t.asText()));
        return new RollupKey(d.path("policy_domain").asText(), d.path("header_from").asText(),
                d.path("source_ip").asText(), d.path("reporter").asText(), d.path("disposition").asText(),
                d.path("dkim").asText(), d.path("spf").asText(), d.path("dkim_aligned").asBoolean(),
                d.path("spf_aligned").asBoolean(), d.path("dmarc_pass").asBoolean(),
                d.path("classification").asText(), String.join(",", types), d.path("unverified").asBoolean());
    }

    static String text(JsonNode d, String field) {
        JsonNode v = d.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static AuthResult auth(JsonNode r) {
        String v = text(r, "result");
        return v == null ? null : AuthResult.valueOf(v);
    }

    static Disposition disposition(String token) {
        return token == null || token.isEmpty() ? null : Disposition.valueOf(token.toUpperCase(Locale.ROOT));
    }

    static DmarcResult dmarc(String token) {
        return token == null || token.isEmpty() ? null : DmarcResult.valueOf(token.toUpperCase(Locale.ROOT));
    }

    static Alignment alignment(String token) {
        if (token == null) {
            return null;
        }
        return "s".equals(token) ? Alignment.STRICT : Alignment.RELAXED;
    }
}
