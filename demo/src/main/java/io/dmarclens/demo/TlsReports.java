package io.dmarclens.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** SMTP TLS reports (RFC 8460) as JSON, with the field names and order Google and Microsoft use. */
final class TlsReports {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TlsReports() {
    }

    /** One failure-details entry. */
    record Failure(String resultType, String sendingMtaIp, String receivingMxHostname, String receivingIp,
                   long sessions, String reasonCode) {
    }

    /**
     * One report for one policy domain.
     *
     * @param microsoft Microsoft omits the MX host list and some failure fields; Google writes them
     */
    static byte[] json(String organization, String contact, String reportId, Instant start, Instant end,
                       String domain, boolean microsoft, long successes, List<Failure> failures) {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("policy-type", "sts");
        policy.put("policy-string", List.of("version: STSv1", "mode: enforce", "mx: mx1." + domain,
                "mx: mx2." + domain, "max_age: 604800"));
        policy.put("policy-domain", domain);
        if (!microsoft) {
            policy.put("mx-host", List.of("mx1." + domain, "mx2." + domain));
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("total-successful-session-count", successes);
        summary.put("total-failure-session-count", failures.stream().mapToLong(Failure::sessions).sum());
        List<Map<String, Object>> details = new ArrayList<>();
        for (Failure f : failures) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("result-type", f.resultType());
            if (f.sendingMtaIp() != null) {
                d.put("sending-mta-ip", f.sendingMtaIp());
            }
            if (f.receivingMxHostname() != null) {
                d.put("receiving-mx-hostname", f.receivingMxHostname());
            }
            if (f.receivingIp() != null) {
                d.put("receiving-ip", f.receivingIp());
            }
            d.put("failed-session-count", f.sessions());
            if (f.reasonCode() != null) {
                d.put("failure-reason-code", f.reasonCode());
            }
            details.add(d);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("policy", policy);
        entry.put("summary", summary);
        if (!details.isEmpty()) {
            entry.put("failure-details", details);
        }
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("start-datetime", start.toString());
        range.put("end-datetime", end.toString());
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("organization-name", organization);
        report.put("date-range", range);
        report.put("contact-info", contact);
        report.put("report-id", reportId);
        report.put("policies", List.of(entry));
        try {
            return JSON.writeValueAsBytes(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
