package io.dmarclens.parser.failure;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Interprets the fields of a {@code message/feedback-report} part (RFC 5965, RFC 6591, RFC 9991) into
 * a {@link FailureReportDraft}: typed values, defaults for what an auth-failure report must carry,
 * and a warning for everything that could not be read as written.
 */
final class ArfFieldReader {
    static final String LOCATION = "feedback-report";

    /** Fields the IANA registry allows more than once; any other repeated field is suspicious. */
    private static final Set<String> MULTIPLE = Set.of("original-rcpt-to", "reported-domain", "reported-uri",
            "authentication-results", "spf-dns");
    private static final Set<String> ALIGNMENT_WORDS = Set.of("none", "spf", "dkim");
    private static final Set<String> AUTH_FAILURE_WORDS = Set.of("adsp", "bodyhash", "revoked", "signature",
            "spf", "dmarc", "dkim");

    private ArfFieldReader() {
    }

    static void read(Map<String, List<String>> fields, FailureReportDraft d) {
        d.fields.putAll(fields);
        fields.forEach((name, values) -> {
            if (values.size() > 1 && !MULTIPLE.contains(name)) {
                d.warn(LOCATION + "/" + name, "field appears " + values.size() + " times; the first value is used");
            }
        });
        d.feedbackType = lower(first(fields, "feedback-type"));
        d.userAgent = first(fields, "user-agent");
        d.version = first(fields, "version");
        readArrivalDate(fields, d);
        d.sourceIp = sourceIp(first(fields, "source-ip"));
        if (d.sourceIp != null && !isIpLiteral(d.sourceIp)) {
            d.warn(LOCATION + "/Source-IP", "'" + FeedbackFields.abbreviate(d.sourceIp)
                    + "' is not an IP address: kept as written");
        }
        d.reportingMta = reportingMta(first(fields, "reporting-mta"));
        d.originalMailFrom = blankToNull(first(fields, "original-mail-from"));
        d.originalRcptTo.addAll(nonBlank(fields.get("original-rcpt-to")));
        d.reportedDomain.addAll(nonBlank(fields.get("reported-domain")));
        d.authFailure.addAll(splitWords(fields.get("auth-failure")));
        d.identityAlignment.addAll(splitWords(fields.get("identity-alignment")));
        d.deliveryResult = lower(first(fields, "delivery-result"));
        d.dkimDomain = first(fields, "dkim-domain");
        d.dkimSelector = first(fields, "dkim-selector");
        d.dkimIdentity = first(fields, "dkim-identity");
        d.spfDns = first(fields, "spf-dns");
        d.authenticationResults.addAll(nonBlank(fields.get("authentication-results")));
        readIncidents(first(fields, "incidents"), d);
        applyDefaults(d);
    }

    /**
     * RFC 5965 requires Feedback-Type; RFC 6591 and RFC 9991 require Auth-Failure and Identity-Alignment
     * in auth-failure reports. Missing ones get the values a DMARC failure report implies (as parsedmarc
     * does), each with a warning, so the report stays searchable. Abuse, fraud and other ARF types do
     * not carry the auth-failure fields, so they are not defaulted there.
     */
    static void applyDefaults(FailureReportDraft d) {
        if (d.feedbackType == null || d.feedbackType.isBlank()) {
            d.feedbackType = "auth-failure";
            d.warn(LOCATION + "/Feedback-Type", "missing (required by RFC 5965): read as auth-failure");
        }
        if (!d.feedbackType.equals("auth-failure")) {
            return;
        }
        if (d.authFailure.isEmpty()) {
            d.authFailure.add("dmarc");
            d.warn(LOCATION + "/Auth-Failure", "missing (required by RFC 6591): read as dmarc");
        }
        if (d.identityAlignment.isEmpty()) {
            d.identityAlignment.add("none");
            d.warn(LOCATION + "/Identity-Alignment", "missing (required by RFC 9991): read as none");
        }
        for (String w : d.identityAlignment) {
            if (!ALIGNMENT_WORDS.contains(w)) {
                d.warn(LOCATION + "/Identity-Alignment", "unknown mechanism '" + w + "' kept as written");
            }
        }
        for (String w : d.authFailure) {
            if (!AUTH_FAILURE_WORDS.contains(w)) {
                d.warn(LOCATION + "/Auth-Failure", "unknown failure type '" + w + "' kept as written");
            }
        }
    }

    private static void readArrivalDate(Map<String, List<String>> fields, FailureReportDraft d) {
        String name = "Arrival-Date";
        String raw = first(fields, "arrival-date");
        if (raw == null) {
            raw = first(fields, "received-date");
            name = "Received-Date";
        }
        if (raw == null || raw.isBlank()) {
            return;
        }
        Optional<Instant> date = MailDates.parse(raw);
        if (date.isEmpty()) {
            d.warn(LOCATION + "/" + name, "unreadable date '" + FeedbackFields.abbreviate(raw) + "': left empty");
        } else {
            d.arrivalDate = date.get();
            if (MailDates.lacksZone(raw)) {
                d.warn(LOCATION + "/" + name, "date '" + raw + "' has no time zone: read as UTC");
            }
        }
    }

    private static void readIncidents(String raw, FailureReportDraft d) {
        if (raw == null || raw.isBlank()) {
            return;
        }
        try {
            int n = Integer.parseInt(raw.strip());
            if (n < 1) {
                d.warn(LOCATION + "/Incidents", "count " + n + " is not positive: read as 1");
            } else {
                d.incidents = n;
            }
        } catch (NumberFormatException e) {
            d.warn(LOCATION + "/Incidents", "not a number: '" + FeedbackFields.abbreviate(raw) + "': read as 1");
        }
    }

    /** RFC 5965 Source-IP; reporters add a host name ("192.0.2.1 (mx.example)") or brackets. */
    static String sourceIp(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String token = raw.strip().split("[\\s(]+", 2)[0];
        if (token.startsWith("[") && token.endsWith("]")) {
            token = token.substring(1, token.length() - 1);
        }
        return token.isEmpty() ? null : token;
    }

    private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)");
    private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile(
            "[0-9A-Fa-f:]*:[0-9A-Fa-f:]*(:(\\d{1,3}\\.){3}\\d{1,3})?");

    /** A literal address check only: never a DNS lookup (InetAddress.getByName would resolve names). */
    static boolean isIpLiteral(String s) {
        return IPV4.matcher(s).matches() || (s.length() <= 45 && IPV6.matcher(s).matches() && s.contains(":"));
    }

    /** Reporting-MTA is {@code mta-name-type; mta-name}, e.g. {@code dns; mail.example.com}. */
    static String reportingMta(String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        int semi = raw.indexOf(';');
        return semi >= 0 ? raw.substring(semi + 1).strip() : raw.strip();
    }

    static List<String> splitWords(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String w : v.replaceAll("\\([^()]*\\)", " ").split("[,;\\s]+")) {
                    String word = w.strip().toLowerCase(Locale.ROOT);
                    if (!word.isEmpty() && !out.contains(word)) {
                        out.add(word);
                    }
                }
            }
        }
        return out;
    }

    static String first(Map<String, List<String>> fields, String name) {
        List<String> values = fields.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static List<String> nonBlank(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> !v.isBlank()).toList();
    }

    private static String lower(String s) {
        return s == null || s.isBlank() ? null : s.strip().toLowerCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
