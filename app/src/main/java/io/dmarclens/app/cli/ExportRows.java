package io.dmarclens.app.cli;

import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.TlsFailureRow;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of each export (and of search output) and how a row fills them. Multi-valued fields
 * (several DKIM signatures) are joined with {@code ;} in the same order across their columns. Rows of
 * reports stored as partial (cut off before their end) say so in {@code partial} and {@code partial_reason},
 * as the dashboard's report lists and their CSV do; every row of records, failures and TLS failures gives the
 * origin of its report in {@code origin} and {@code origin_reason} (the DKIM check of its mail, docs/security.md).
 */
final class ExportRows {
    private ExportRows() {
    }

    static final List<String> RECORD_COLUMNS = List.of("reporter", "report_id", "policy_domain", "begin", "end",
            "source_ip", "count", "disposition", "dkim", "spf", "header_from", "envelope_from", "envelope_to",
            "override_reasons", "override_comments", "dkim_domains", "dkim_selectors", "dkim_results", "spf_domains",
            "spf_scopes", "spf_results", "reverse_dns", "base_domain", "country", "asn", "as_name", "sender_name",
            "sender_type", "dkim_aligned", "spf_aligned", "dmarc_pass", "verdict_disagrees", "classification",
            "classification_reason", "record_id", "partial", "partial_reason", "origin", "origin_reason");

    static List<Object> record(RecordRow r) {
        SenderInfo s = r.sender();
        return Arrays.asList(r.reporter(), r.reportId(), r.policyDomain(), iso(r.begin()), iso(r.end()), r.sourceIp(),
                r.count(), r.disposition(), r.dkim(), r.spf(), r.headerFrom(), r.envelopeFrom(), r.envelopeTo(),
                join(r.reasons(), o -> o.type() != null ? o.type().token() : o.rawType()),
                join(r.reasons(), PolicyOverrideReason::comment),
                join(r.dkimResults(), DkimAuthResult::domain), join(r.dkimResults(), DkimAuthResult::selector),
                join(r.dkimResults(), d -> d.result() != null ? d.result().token() : d.rawResult()),
                join(r.spfResults(), SpfAuthResult::domain), join(r.spfResults(), SpfAuthResult::scope),
                join(r.spfResults(), d -> d.result() != null ? d.result().token() : d.rawResult()),
                s.reverseDns(), s.baseDomain(), s.country(), s.asn(), s.asName(), s.senderName(), s.senderType(),
                r.dkimAligned(), r.spfAligned(), r.dmarcPass(), r.verdictDisagrees(), r.classification(),
                r.classificationReason(), r.id(), r.isPartial(), r.partialReason(), r.authenticity().verdict().code(),
                r.authenticity().reason());
    }

    static final List<String> SOURCE_COLUMNS = List.of("source_ip", "reverse_dns", "base_domain", "sender_name",
            "sender_type", "asn", "as_name", "country", "messages", "dmarc_pass", "dmarc_fail", "spf_aligned",
            "dkim_aligned", "pass_rate", "classification", "classification_reason");

    static List<Object> source(SourceStats s) {
        return Arrays.asList(s.ip(), s.reverseDns(), s.baseDomain(), s.senderName(), s.senderType(), s.asn(),
                s.asName(), s.country(), s.messages(), s.dmarcPass(), s.dmarcFail(), s.spfAligned(), s.dkimAligned(),
                Math.round(s.passRate() * 10_000) / 10_000.0, s.classification(), s.classificationReason());
    }

    static final List<String> FAILURE_COLUMNS = List.of("id", "arrival", "format", "feedback_type", "user_agent",
            "source_ip", "reverse_dns", "sender_name", "reporting_mta", "original_mail_from", "original_rcpt_to",
            "reported_domain", "auth_failure", "delivery_result", "dkim_domain", "dkim_selector", "spf_dns",
            "incidents", "from", "to", "subject", "message_id", "partial", "partial_reason", "origin", "origin_reason");

    static List<Object> failure(FailureRow f) {
        return Arrays.asList(f.id(), iso(f.arrival()), f.format(), f.feedbackType(), f.userAgent(), f.sourceIp(),
                f.sender().reverseDns(), f.sender().senderName(), f.reportingMta(), f.originalMailFrom(),
                String.join(";", f.originalRcptTo()), String.join(";", f.reportedDomain()),
                String.join(";", f.authFailure()), f.deliveryResult(), f.dkimDomain(), f.dkimSelector(), f.spfDns(),
                f.incidents(), f.from(), f.to(), f.subject(), f.messageId(), f.isPartial(), f.partialReason(),
                f.authenticity().verdict().code(), f.authenticity().reason());
    }

    static final List<String> TLS_COLUMNS = List.of("organization", "report_id", "begin", "end", "policy_type",
            "policy_domain", "result_type", "sending_mta_ip", "receiving_mx_hostname", "receiving_mx_helo",
            "receiving_ip", "failed_sessions", "additional_information", "failure_reason_code", "id", "partial",
            "partial_reason", "origin", "origin_reason");

    static List<Object> tls(TlsFailureRow t) {
        return Arrays.asList(t.organization(), t.reportId(), iso(t.begin()), iso(t.end()), t.policyType(),
                t.policyDomain(), t.resultType(), t.sendingMtaIp(), t.receivingMxHostname(), t.receivingMxHelo(),
                t.receivingIp(), t.failedSessions(), t.additionalInfo(), t.failureReasonCode(), t.id(), t.isPartial(),
                t.partialReason(), t.authenticity().verdict().code(), t.authenticity().reason());
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static <T> String join(List<T> values, Function<T, String> f) {
        return values.stream().map(v -> {
            String s = f.apply(v);
            return s == null ? "" : s;
        }).collect(Collectors.joining(";"));
    }
}
