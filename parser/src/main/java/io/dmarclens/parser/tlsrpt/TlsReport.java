package io.dmarclens.parser.tlsrpt;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportSource;
import java.time.Instant;
import java.util.List;

/**
 * An SMTP TLS report (RFC 8460).
 *
 * @param source           where it was read from
 * @param organizationName organization-name
 * @param startDatetime    date-range start-datetime
 * @param endDatetime      date-range end-datetime
 * @param contactInfo      contact-info, or null
 * @param reportId         report-id
 * @param policies         one entry per policy evaluated
 * @param warnings         what could not be read as written
 */
public record TlsReport(ReportSource source, String organizationName, Instant startDatetime,
                        Instant endDatetime, String contactInfo, String reportId, List<TlsPolicyResult> policies,
                        List<ParseWarning> warnings) implements Report {
    public TlsReport {
        policies = List.copyOf(policies);
        warnings = List.copyOf(warnings);
    }
}
