package io.dmarclens.parser.failure;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ReportSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fields of a {@link FailureReport} while they are being read; one per report, never shared. */
final class FailureReportDraft {
    final ReportSource source;
    final List<ParseWarning> warnings = new ArrayList<>();
    String format;
    String feedbackType;
    String userAgent;
    String version;
    Instant arrivalDate;
    String sourceIp;
    String reportingMta;
    String originalMailFrom;
    List<String> originalRcptTo = new ArrayList<>();
    List<String> reportedDomain = new ArrayList<>();
    List<String> authFailure = new ArrayList<>();
    List<String> identityAlignment = new ArrayList<>();
    String deliveryResult;
    String dkimDomain;
    String dkimSelector;
    String dkimIdentity;
    String spfDns;
    List<String> authenticationResults = new ArrayList<>();
    int incidents = 1;
    Map<String, List<String>> fields = new LinkedHashMap<>();
    OriginalMessage original;
    String humanReadable;

    FailureReportDraft(ReportSource source, String format) {
        this.source = source;
        this.format = format;
    }

    void warn(String location, String message) {
        warnings.add(new ParseWarning(location, message));
    }

    FailureReport build() {
        return new FailureReport(source, format, feedbackType, userAgent, version, arrivalDate, sourceIp,
                reportingMta, originalMailFrom, originalRcptTo, reportedDomain, authFailure, identityAlignment,
                deliveryResult, dkimDomain, dkimSelector, dkimIdentity, spfDns, authenticationResults, incidents,
                fields, original, humanReadable, warnings);
    }
}
