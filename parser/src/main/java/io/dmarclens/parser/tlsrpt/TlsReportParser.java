package io.dmarclens.parser.tlsrpt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads SMTP TLS reports (RFC 8460 JSON, already decompressed) with the leniency real reporters need:
 * {@code mx-host} as a string or a list, failure details with only {@code result-type} and a count
 * (Microsoft), no {@code policy-domain} (Postfix for no-policy-found), {@code contact-info: null},
 * counts written as strings. Each deviation becomes a warning with its JSON path.
 */
public final class TlsReportParser {
    /**
     * Largest TLS report read. A day's report is a few kilobytes; the JSON is held as a tree while it is
     * read, so this cap (not only maxDecompressedBytes) keeps a hostile document from exhausting memory.
     */
    public static final long MAX_REPORT_BYTES = 64L << 20;
    /** Nesting depth of a TLS report is 4; anything much deeper is not one. */
    static final int MAX_DEPTH = 32;

    private static final Set<String> POLICY_TYPES = Set.of("sts", "tlsa", "no-policy-found");
    private static final Set<String> RESULT_TYPES = Set.of("starttls-not-supported", "certificate-host-mismatch",
            "certificate-expired", "certificate-not-trusted", "validation-failure", "tlsa-invalid",
            "dnssec-invalid", "dane-required", "sts-policy-fetch-error", "sts-policy-invalid", "sts-webpki-invalid");
    private static final Set<String> REPORT_MEMBERS = Set.of("organization-name", "date-range", "contact-info",
            "report-id", "policies");
    private static final Set<String> POLICY_MEMBERS = Set.of("policy", "summary", "failure-details");
    private static final Set<String> POLICY_DESCRIPTOR_MEMBERS = Set.of("policy-type", "policy-string",
            "policy-domain", "mx-host");
    private static final Set<String> SUMMARY_MEMBERS = Set.of("total-successful-session-count",
            "total-failure-session-count");
    private static final Set<String> DETAIL_MEMBERS = Set.of("result-type", "sending-mta-ip",
            "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip", "failed-session-count",
            "additional-information", "failure-reason-code");

    private final JsonTreeReader reader;
    private final long maxBytes;

    public TlsReportParser(ParserLimits limits) {
        Objects.requireNonNull(limits, "limits");
        this.maxBytes = Math.min(limits.maxDecompressedBytes(), MAX_REPORT_BYTES);
        this.reader = new JsonTreeReader(maxBytes, limits.maxTextLength(), Math.min(limits.maxXmlDepth(), MAX_DEPTH));
    }

    /** RFC 8460 JSON (already decompressed). */
    public TlsReport parse(ReportSource source, InputStream json) throws ReportParseException {
        List<ParseWarning> warnings = new ArrayList<>();
        JsonNode root;
        try {
            root = reader.read(json, warnings);
        } catch (StreamConstraintsException e) {
            throw new LimitExceededException(source, "TLS report exceeds a safety cap: " + e.getOriginalMessage()
                    + " (largest report read: " + maxBytes + " bytes)");
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ReportParseException(source, "malformed JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr())
                    + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ReportParseException(source, "TLS report unreadable: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ReportParseException(source, "TLS report unreadable: " + e, e);
        }
        if (root == null) {
            throw new ReportParseException(source, "zero-byte input: no JSON document");
        }
        try {
            return read(source, root, warnings);
        } catch (RuntimeException e) {
            throw new ReportParseException(source, "TLS report unreadable: " + e, e);
        }
    }

    private TlsReport read(ReportSource source, JsonNode root, List<ParseWarning> warnings)
            throws ReportParseException {
        if (!root.isObject()) {
            throw new ReportParseException(source, "JSON is not an SMTP TLS report: the document is "
                    + TlsJson.kind(root) + ", not an object");
        }
        if (!root.has("policies")) {
            throw new ReportParseException(source, "JSON is not an SMTP TLS report: no \"policies\" member"
                    + (root.size() == 0 ? " (empty object)" : " (members: " + memberNames(root) + ")"));
        }
        TlsJson report = new TlsJson(root, "", warnings);
        report.warnUnknown(REPORT_MEMBERS);
        String organization = report.text("organization-name", true);
        String contact = report.text("contact-info", false);
        String reportId = report.text("report-id", true);
        Instant start = null;
        Instant end = null;
        JsonNode range = root.get("date-range");
        if (range == null || !range.isObject()) {
            report.warn("date-range", range == null ? "missing (required by RFC 8460)"
                    : "expected an object, found " + TlsJson.kind(range) + ": ignored");
        } else {
            TlsJson dates = new TlsJson(range, "date-range", warnings);
            dates.warnUnknown(Set.of("start-datetime", "end-datetime"));
            start = dates.dateTime("start-datetime");
            end = dates.dateTime("end-datetime");
            if (start != null && end != null && end.isBefore(start)) {
                dates.warn(null, "end-datetime " + end + " is before start-datetime " + start + ": kept as written");
            }
        }
        return new TlsReport(source, organization, start, end, contact, reportId, policies(root.get("policies"),
                warnings), warnings);
    }

    private List<TlsPolicyResult> policies(JsonNode policies, List<ParseWarning> warnings) {
        List<TlsPolicyResult> out = new ArrayList<>();
        if (policies.isObject()) {
            warnings.add(new ParseWarning("policies", "expected a list, found one object: read as a list of one"));
            out.add(policy(policies, "policies", warnings));
        } else if (policies.isArray()) {
            for (int i = 0; i < policies.size(); i++) {
                JsonNode p = policies.get(i);
                String path = "policies[" + i + "]";
                if (p.isObject()) {
                    out.add(policy(p, path, warnings));
                } else {
                    warnings.add(new ParseWarning(path, "expected an object, found " + TlsJson.kind(p) + ": ignored"));
                }
            }
        } else if (!policies.isNull()) {
            warnings.add(new ParseWarning("policies", "expected a list, found " + TlsJson.kind(policies) + ": ignored"));
        }
        if (out.isEmpty()) {
            warnings.add(new ParseWarning("policies", "the report holds no policy results"));
        }
        return out;
    }

    private TlsPolicyResult policy(JsonNode node, String path, List<ParseWarning> warnings) {
        TlsJson entry = new TlsJson(node, path, warnings);
        entry.warnUnknown(POLICY_MEMBERS);
        String type = null;
        List<String> policyString = List.of();
        String domain = null;
        List<String> mxHost = List.of();
        JsonNode policy = node.get("policy");
        if (policy == null || !policy.isObject()) {
            entry.warn("policy", policy == null ? "missing (required by RFC 8460)"
                    : "expected an object, found " + TlsJson.kind(policy) + ": ignored");
        } else {
            TlsJson p = new TlsJson(policy, TlsJson.child(path, "policy"), warnings);
            p.warnUnknown(POLICY_DESCRIPTOR_MEMBERS);
            type = p.text("policy-type", true);
            if (type != null) {
                String raw = type;
                type = type.strip().toLowerCase(Locale.ROOT);
                if (!POLICY_TYPES.contains(type)) {
                    p.warn("policy-type", "unknown policy type \"" + TlsJson.abbreviate(raw) + "\" kept as written");
                }
            }
            policyString = p.textList("policy-string", true);
            domain = p.text("policy-domain", false);
            if (domain == null) {
                p.warn("policy-domain", "missing (the reporter did not name the recipient domain"
                        + ("no-policy-found".equals(type) ? ", as Postfix's tlsrpt does for no-policy-found)" : ")"));
            } else {
                domain = domain.strip();
            }
            mxHost = p.textList("mx-host", false);
        }
        long successful = 0;
        long failed = 0;
        JsonNode summary = node.get("summary");
        if (summary == null || !summary.isObject()) {
            entry.warn("summary", summary == null ? "missing (required by RFC 8460): counts read as 0"
                    : "expected an object, found " + TlsJson.kind(summary) + ": counts read as 0");
        } else {
            TlsJson s = new TlsJson(summary, TlsJson.child(path, "summary"), warnings);
            s.warnUnknown(SUMMARY_MEMBERS);
            successful = s.count("total-successful-session-count", true);
            failed = s.count("total-failure-session-count", true);
        }
        return new TlsPolicyResult(type, policyString, domain, mxHost, successful, failed,
                failureDetails(node.get("failure-details"), TlsJson.child(path, "failure-details"), warnings));
    }

    private List<TlsFailureDetail> failureDetails(JsonNode details, String path, List<ParseWarning> warnings) {
        List<TlsFailureDetail> out = new ArrayList<>();
        if (details == null || details.isNull()) {
            return out;
        }
        if (!details.isArray()) {
            warnings.add(new ParseWarning(path, "expected a list, found " + TlsJson.kind(details) + ": ignored"));
            return out;
        }
        for (int i = 0; i < details.size(); i++) {
            JsonNode node = details.get(i);
            String at = path + "[" + i + "]";
            if (!node.isObject()) {
                warnings.add(new ParseWarning(at, "expected an object, found " + TlsJson.kind(node) + ": ignored"));
                continue;
            }
            TlsJson d = new TlsJson(node, at, warnings);
            d.warnUnknown(DETAIL_MEMBERS);
            String resultType = d.text("result-type", false);
            if (resultType == null || resultType.isBlank()) {
                d.warn("result-type", "missing (required by RFC 8460): read as \"unknown\"");
                resultType = "unknown";
            } else {
                String raw = resultType;
                resultType = resultType.strip().toLowerCase(Locale.ROOT);
                if (!RESULT_TYPES.contains(resultType)) {
                    d.warn("result-type", "unknown result type \"" + TlsJson.abbreviate(raw) + "\" kept as written");
                }
            }
            out.add(new TlsFailureDetail(resultType, trimmed(d.text("sending-mta-ip", false)),
                    trimmed(d.text("receiving-mx-hostname", false)), trimmed(d.text("receiving-mx-helo", false)),
                    trimmed(d.text("receiving-ip", false)), d.count("failed-session-count", true),
                    d.text("additional-information", false), d.text("failure-reason-code", false)));
        }
        return out;
    }

    private static String trimmed(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String memberNames(JsonNode root) {
        List<String> names = new ArrayList<>();
        root.fieldNames().forEachRemaining(n -> names.add("\"" + TlsJson.abbreviate(n) + "\""));
        return String.join(", ", names.size() > 8 ? names.subList(0, 8) : names) + (names.size() > 8 ? ", ..." : "");
    }
}
