package io.dmarclens.parser.tlsrpt;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
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
 * @param truncation       why the input stopped before its end (a cut-off gzip or zip holding a JSON
 *                         document that still parsed whole), or null when it was read to its end
 */
public record TlsReport(ReportSource source, String organizationName, Instant startDatetime,
                        Instant endDatetime, String contactInfo, String reportId, List<TlsPolicyResult> policies,
                        List<ParseWarning> warnings, Truncation truncation) implements Report {
    public TlsReport {
        policies = List.copyOf(policies);
        warnings = List.copyOf(warnings);
    }

    /** A report read to its end. */
    public TlsReport(ReportSource source, String organizationName, Instant startDatetime, Instant endDatetime,
                     String contactInfo, String reportId, List<TlsPolicyResult> policies, List<ParseWarning> warnings) {
        this(source, organizationName, startDatetime, endDatetime, contactInfo, reportId, policies, warnings, null);
    }

    /** True when the input stopped before its end. */
    public boolean partial() {
        return truncation != null;
    }

    /** This report marked as cut off for {@code why} (added to what is already known). */
    public TlsReport truncated(Truncation why) {
        Truncation t = truncation == null ? why : why.and(truncation.reason());
        return new TlsReport(source, organizationName, startDatetime, endDatetime, contactInfo, reportId, policies,
                warnings, t);
    }
}
