package io.dmarclens.web.pages;

import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.web.table.Column;
import java.util.List;
import java.util.stream.Collectors;

/** The columns of an aggregate record, shared by the report detail, the drill-down and search. */
final class RecordColumns {
    private RecordColumns() {
    }

    static List<Column<RecordRow>> all() {
        return List.of(
                Column.<RecordRow>date("begin", "Report date", RecordRow::begin),
                Column.<RecordRow>text("reporter", "Reporter", RecordRow::reporter)
                        .linkTo(r -> "/reports/" + r.reportRef()),
                Column.text("policyDomain", "Domain", RecordRow::policyDomain),
                Column.<RecordRow>text("sourceIp", "Source IP", RecordRow::sourceIp)
                        .linkTo(r -> "/sources/" + io.dmarclens.web.DashboardFilter.enc(r.sourceIp())),
                Column.text("reverseDns", "Reverse DNS", r -> r.sender() == null ? null : r.sender().reverseDns()),
                Column.number("count", "Messages", RecordRow::count),
                Column.badge("disposition", "Disposition", RecordRow::disposition),
                Column.badge("dkim", "DKIM (eval.)", RecordRow::dkim),
                Column.badge("spf", "SPF (eval.)", RecordRow::spf),
                Column.text("headerFrom", "Header from", RecordRow::headerFrom),
                Column.text("envelopeFrom", "Envelope from", RecordRow::envelopeFrom),
                Column.text("dkimResults", "DKIM results", r -> dkim(r.dkimResults())),
                Column.text("spfResults", "SPF results", r -> spf(r.spfResults())),
                Column.text("reasons", "Override", r -> reasons(r.reasons())),
                Column.badge("dmarc", "DMARC", r -> r.dmarcPass() ? "pass" : "fail"),
                Column.badge("classification", "Class", RecordRow::classification),
                Column.text("reason", "Why", RecordRow::classificationReason));
    }

    static String dkim(List<DkimAuthResult> results) {
        return results.stream().map(d -> d.domain() + (d.selector() == null ? "" : " s=" + d.selector()) + ": "
                + (d.result() == null ? d.rawResult() : d.result().token())).collect(Collectors.joining("; "));
    }

    static String spf(List<SpfAuthResult> results) {
        return results.stream().map(s -> s.domain() + (s.scope() == null ? "" : " (" + s.scope() + ")") + ": "
                + (s.result() == null ? s.rawResult() : s.result().token())).collect(Collectors.joining("; "));
    }

    static String reasons(List<PolicyOverrideReason> reasons) {
        return reasons.stream().map(r -> r.rawType() + (r.comment() == null ? "" : " (" + r.comment() + ")"))
                .collect(Collectors.joining("; "));
    }
}
