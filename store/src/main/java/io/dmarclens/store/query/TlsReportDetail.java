package io.dmarclens.store.query;

import io.dmarclens.parser.ParseWarning;
import java.util.List;

/** One SMTP TLS report with its policies, failure details and warnings. */
public record TlsReportDetail(TlsReportSummary summary, List<TlsPolicyRow> policies, List<ParseWarning> warnings,
                              List<SupersededCopy> superseded) {
    public TlsReportDetail {
        superseded = List.copyOf(superseded);
    }
}
