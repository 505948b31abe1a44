package io.dmarclens.parser.failure;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.Truncation;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A failure (forensic, ruf) report: ARF (RFC 5965, 6591, 9991) or a plain-text failure notice without
 * a {@code message/feedback-report} part (Exim and cPanel style).
 *
 * @param source            where it was read from
 * @param format            {@code "arf"} or {@code "plain-text"}
 * @param feedbackType      Feedback-Type (normally {@code auth-failure}); defaulted with a warning when missing
 * @param userAgent         User-Agent of the reporter, or null
 * @param version           Version field, or null
 * @param arrivalDate       Arrival-Date (or Received-Date) as an instant, or null when missing or unreadable
 * @param sourceIp          Source-IP, or null
 * @param reportingMta      Reporting-MTA, or null
 * @param originalMailFrom  Original-Mail-From, or null
 * @param originalRcptTo    Original-Rcpt-To values
 * @param reportedDomain    Reported-Domain values
 * @param authFailure       Auth-Failure values, split on commas (dmarc, dkim, spf, adsp, bodyhash, revoked, signature)
 * @param identityAlignment Identity-Alignment values, split on commas (none, spf, dkim)
 * @param deliveryResult    Delivery-Result, or null
 * @param dkimDomain        DKIM-Domain, or null
 * @param dkimSelector      DKIM-Selector, or null
 * @param dkimIdentity      DKIM-Identity, or null
 * @param spfDns            SPF-DNS, or null
 * @param authenticationResults Authentication-Results values of the feedback part
 * @param incidents         Incidents count, 1 when absent
 * @param fields            every field of the feedback part, names in lower case, in order, multi-valued
 *                          fields as lists; unknown fields are kept here too
 * @param original          the original message or its headers, or null when the report carried neither
 * @param humanReadable     the first text part (the reporter's explanation), or null
 * @param warnings          what could not be read as written
 * @param truncation        why the input stopped before its end (the mail came in a cut-off gzip or zip, so
 *                          its later fields or original headers may be missing), or null when it was read to
 *                          its end
 */
public record FailureReport(ReportSource source, String format, String feedbackType, String userAgent,
                            String version, Instant arrivalDate, String sourceIp, String reportingMta,
                            String originalMailFrom, List<String> originalRcptTo, List<String> reportedDomain,
                            List<String> authFailure, List<String> identityAlignment, String deliveryResult,
                            String dkimDomain, String dkimSelector, String dkimIdentity, String spfDns,
                            List<String> authenticationResults, int incidents,
                            Map<String, List<String>> fields, OriginalMessage original, String humanReadable,
                            List<ParseWarning> warnings, Truncation truncation) implements Report {
    public FailureReport {
        originalRcptTo = List.copyOf(originalRcptTo);
        reportedDomain = List.copyOf(reportedDomain);
        authFailure = List.copyOf(authFailure);
        identityAlignment = List.copyOf(identityAlignment);
        authenticationResults = List.copyOf(authenticationResults);
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
        warnings = List.copyOf(warnings);
    }

    /** A report read to its end. */
    public FailureReport(ReportSource source, String format, String feedbackType, String userAgent, String version,
                         Instant arrivalDate, String sourceIp, String reportingMta, String originalMailFrom,
                         List<String> originalRcptTo, List<String> reportedDomain, List<String> authFailure,
                         List<String> identityAlignment, String deliveryResult, String dkimDomain, String dkimSelector,
                         String dkimIdentity, String spfDns, List<String> authenticationResults, int incidents,
                         Map<String, List<String>> fields, OriginalMessage original, String humanReadable,
                         List<ParseWarning> warnings) {
        this(source, format, feedbackType, userAgent, version, arrivalDate, sourceIp, reportingMta, originalMailFrom,
                originalRcptTo, reportedDomain, authFailure, identityAlignment, deliveryResult, dkimDomain,
                dkimSelector, dkimIdentity, spfDns, authenticationResults, incidents, fields, original, humanReadable,
                warnings, null);
    }

    /** True when the input stopped before its end. */
    public boolean partial() {
        return truncation != null;
    }

    /** This report marked as cut off for {@code why} (added to what is already known). */
    public FailureReport truncated(Truncation why) {
        Truncation t = truncation == null ? why : why.and(truncation.reason());
        return new FailureReport(source, format, feedbackType, userAgent, version, arrivalDate, sourceIp, reportingMta,
                originalMailFrom, originalRcptTo, reportedDomain, authFailure, identityAlignment, deliveryResult,
                dkimDomain, dkimSelector, dkimIdentity, spfDns, authenticationResults, incidents, fields, original,
                humanReadable, warnings, t);
    }
}
