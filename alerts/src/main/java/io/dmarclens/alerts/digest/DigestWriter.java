package io.dmarclens.alerts.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Notice;
import io.dmarclens.store.query.DailyTotals;
import io.dmarclens.store.query.ForwardingSource;
import io.dmarclens.store.query.PolicyImpact;
import io.dmarclens.store.query.SourceStats;
import io.dmarclens.store.query.Totals;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a digest as a notice: an HTML document for mail clients (tables and inline styles only, the chart
 * as an inline image), the same as plain text, and a JSON payload holding the chart's series.
 */
public final class DigestWriter {
    /** The rule id digests carry in the outbox. */
    public static final String RULE = "digest";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TD = "<td style=\"padding:6px 10px;border-bottom:1px solid #e5e7eb\">";
    private static final String TDR = "<td align=\"right\" style=\"padding:6px 10px;border-bottom:1px solid #e5e7eb\">";
    private static final String TH = "<th align=\"left\" style=\"padding:6px 10px;background:#f3f4f6;font-size:12px;color:#374151\">";

    /** The notice of a digest written at {@code at}. */
    public Notice write(DigestData d, String cadence, Instant at) {
        boolean all = AlertLog.ALL_DOMAINS.equals(d.scope());
        String name = all ? "all domains" : d.scope();
        String subject = ("[DMARC Lens] " + cadence + " digest, " + name + ": " + d.period()).replaceAll("[\\r\\n\\t]+", " ");
        String range = "range=custom&from=" + d.period().from() + "&to=" + d.period().to()
                + (all ? "" : "&domain=" + enc(d.scope()));
        List<Notice.DashboardLink> links = List.of(new Notice.DashboardLink("Overview of " + name + ", " + d.period(),
                "/?" + range), new Notice.DashboardLink("Failing sources", "/sources?" + range + "&sort=failing"),
                new Notice.DashboardLink("Open alerts", "/alerts" + (all ? "" : "?domain=" + enc(d.scope()))));
        return new Notice(Notice.Kind.DIGEST, 0, RULE, d.scope(), subject, text(d, name, cadence, links),
                html(d, name, cadence, links), json(d, cadence, links, at), links, at);
    }

    private static String text(DigestData d, String name, String cadence, List<Notice.DashboardLink> links) {
        StringBuilder t = new StringBuilder();
        t.append("DMARC ").append(cadence).append(" digest \u2014 ").append(name).append(", ").append(d.period()).append("\n\n");
        t.append("Messages:         ").append(d.totals().messages()).append("  (").append(change(d.totals().messages(),
                d.previous().messages())).append(" against the ").append(d.period().days()).append(" days before)\n");
        t.append("DMARC pass rate:  ").append(pct(d.totals())).append("  (").append(points(d.totals(), d.previous()))
                .append(")\n");
        t.append("Failing DMARC:    ").append(d.totals().dmarcFail()).append(" (threats ").append(d.totals().threat())
                .append(", forwarded ").append(d.totals().forwarded()).append(", misconfigured ")
                .append(d.totals().misconfigured()).append(")\n");
        if (!d.domains().isEmpty()) {
            t.append("\nDomains:\n");
            d.domains().forEach(p -> t.append("  ").append(p.domain()).append(": ").append(p.messages())
                    .append(" messages, ").append(rate(p.messages() - p.failing(), p.messages())).append(" pass, policy ")
                    .append(p.currentPolicy() == null ? "unknown" : p.currentPolicy()).append('\n'));
        }
        t.append("\nTop failing sources:\n");
        if (d.topFailing().isEmpty()) {
            t.append("  none\n");
        }
        d.topFailing().forEach(s -> t.append("  ").append(source(s)).append(": ").append(s.dmarcFail())
                .append(" failing of ").append(s.messages()).append(" \u2014 ").append(reason(s)).append('\n'));
        t.append("\nNew senders (not seen in the ").append(DigestCollector.NEW_SENDER_LOOKBACK_DAYS).append(" days before):\n");
        if (d.newSenders().isEmpty()) {
            t.append("  none\n");
        }
        d.newSenders().forEach(s -> t.append("  ").append(source(s)).append(": ").append(s.messages())
                .append(" messages, ").append(rate(s.dmarcPass(), s.messages())).append(" pass\n"));
        t.append("\nForwarders:\n");
        if (d.forwarders().isEmpty()) {
            t.append("  none\n");
        }
        d.forwarders().forEach(f -> t.append("  ").append(forwarder(f)).append(": ").append(f.messages())
                .append(" forwarded, DKIM survived on ").append(rate(f.dkimSurvived(), f.messages())).append('\n'));
        t.append("\nOpen alerts: ").append(d.openAlerts().size()).append('\n');
        d.openAlerts().forEach(a -> t.append("  ").append(alertLine(a)).append(" (/alerts/").append(a.id()).append(")\n"));
        if (d.readiness() != null) {
            t.append("\nPolicy readiness: ").append(rate(d.readiness().compliant(), d.readiness().messages()))
                    .append(" of the last ").append(d.readiness().days()).append(" days' mail passes DMARC; policy ")
                    .append(d.readiness().currentPolicy() == null ? "unknown" : "p=" + d.readiness().currentPolicy())
                    .append("\nNext step: ").append(d.readiness().nextStep()).append('\n');
            if (d.readiness().recordToPublish() != null) {
                t.append("Record to publish: ").append(d.readiness().recordToPublish()).append('\n');
            }
        }
        t.append("\nIn the dashboard:\n");
        links.forEach(l -> t.append("  - ").append(l.label()).append(": ").append(l.path()).append('\n'));
        return t.toString();
    }

    private static String html(DigestData d, String name, String cadence, List<Notice.DashboardLink> links) {
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
                .append("<title>").append(esc(name)).append(" digest</title></head>")
                .append("<body style=\"margin:0;padding:16px;background:#f3f4f6;font-family:Arial,Helvetica,sans-serif;")
                .append("color:#1f2937;font-size:14px;line-height:1.4\">")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:680px\">")
                .append("<tr><td style=\"background:#ffffff;border:1px solid #d1d5db;padding:20px\">");
        h.append("<h1 style=\"font-size:20px;margin:0 0 4px 0;color:#111827\">DMARC ").append(esc(cadence))
                .append(" digest \u2014 ").append(esc(name)).append("</h1>")
                .append("<p style=\"margin:0 0 16px 0;color:#6b7280\">").append(esc(d.period().toString())).append("</p>");
        // Key figures: three cells side by side (a table: mail clients ignore flex and grid).
        h.append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"8\"><tr>");
        String against = " vs the " + d.period().days() + " days before";
        figure(h, "Messages", Long.toString(d.totals().messages()), change(d.totals().messages(), d.previous().messages())
                + against);
        figure(h, "DMARC pass rate", pct(d.totals()), points(d.totals(), d.previous()) + against);
        figure(h, "Failing DMARC", Long.toString(d.totals().dmarcFail()), "threats " + d.totals().threat()
                + ", forwarded " + d.totals().forwarded());
        h.append("</tr></table>");
        h.append("<p style=\"margin:12px 0\"><img src=\"cid:").append(DigestChart.CONTENT_ID).append("\" width=\"")
                .append(DigestChart.WIDTH).append("\" height=\"").append(DigestChart.HEIGHT)
                .append("\" alt=\"Messages per day (bars) and DMARC pass rate (line)\" style=\"display:block;max-width:100%;height:auto;border:0\"></p>");
        if (!d.domains().isEmpty()) {
            section(h, "Domains");
            h.append(table()).append("<tr>").append(TH).append("Domain</th>").append(TH).append("Messages</th>").append(TH)
                    .append("Pass</th>").append(TH).append("Policy</th></tr>");
            for (PolicyImpact p : d.domains()) {
                h.append("<tr>").append(TD).append(esc(p.domain())).append("</td>").append(TDR).append(p.messages())
                        .append("</td>").append(TDR).append(rate(p.messages() - p.failing(), p.messages())).append("</td>")
                        .append(TD).append(esc(p.currentPolicy() == null ? "unknown" : "p=" + p.currentPolicy()))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        section(h, "Top failing sources");
        if (d.topFailing().isEmpty()) {
            h.append("<p>None: every source passed DMARC.</p>");
        } else {
            h.append(table()).append("<tr>").append(TH).append("Source</th>").append(TH).append("Failing</th>").append(TH)
                    .append("Why</th></tr>");
            for (SourceStats s : d.topFailing()) {
                h.append("<tr>").append(TD).append(esc(source(s))).append("</td>").append(TDR).append(s.dmarcFail())
                        .append(" of ").append(s.messages()).append("</td>").append(TD).append(esc(reason(s)))
                        .append("</td></tr>");
            }
            h.append("</table>");
        }
        section(h, "New senders");
        if (d.newSenders().isEmpty()) {
            h.append("<p>None: every source was seen in the ").append(DigestCollector.NEW_SENDER_LOOKBACK_DAYS)
                    .append(" days before.</p>");
        } else {
            h.append(table()).append("<tr>").append(TH).append("Source</th>").append(TH).append("Messages</th>").append(TH)
                    .append("Pass</th></tr>");
            for (SourceStats s : d.newSenders()) {
                h.append("<tr>").append(TD).append(esc(source(s))).append("</td>").append(TDR).append(s.messages())
                        .append("</td>").append(TDR).append(rate(s.dmarcPass(), s.messages())).append("</td></tr>");
            }
            h.append("</table>");
        }
        section(h, "Forwarders");
        if (d.forwarders().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append(table()).append("<tr>").append(TH).append("Forwarder</th>").append(TH).append("Messages</th>")
                    .append(TH).append("DKIM survived</th></tr>");
            for (ForwardingSource f : d.forwarders()) {
                h.append("<tr>").append(TD).append(esc(forwarder(f))).append("</td>").append(TDR).append(f.messages())
                        .append("</td>").append(TDR).append(rate(f.dkimSurvived(), f.messages())).append("</td></tr>");
            }
            h.append("</table>");
        }
        section(h, "Open alerts (" + d.openAlerts().size() + ")");
        if (d.openAlerts().isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<ul style=\"margin:0;padding-left:20px\">");
            d.openAlerts().forEach(a -> h.append("<li><a style=\"color:#1d4ed8\" href=\"/alerts/").append(a.id())
                    .append("\">").append(esc(alertLine(a))).append("</a></li>"));
            h.append("</ul>");
        }
        if (d.readiness() != null) {
            section(h, "Policy readiness");
            h.append("<p style=\"margin:0 0 6px 0\">").append(rate(d.readiness().compliant(), d.readiness().messages()))
                    .append(" of the last ").append(d.readiness().days()).append(" days' mail passes DMARC; published policy ")
                    .append(esc(d.readiness().currentPolicy() == null ? "unknown" : "p=" + d.readiness().currentPolicy()))
                    .append(".</p><p style=\"margin:0;padding:8px 10px;background:#ecfdf5;border-left:4px solid #16a34a\">")
                    .append("<b>Next step:</b> ").append(esc(d.readiness().nextStep())).append("</p>");
            if (d.readiness().recordToPublish() != null) {
                h.append("<p style=\"margin:6px 0 0 0;font-family:Consolas,monospace;font-size:12px\">")
                        .append(esc(d.readiness().recordToPublish())).append("</p>");
            }
        }
        h.append("<p style=\"margin:20px 0 0 0\">");
        links.forEach(l -> h.append("<a style=\"color:#1d4ed8;margin-right:16px\" href=\"").append(esc(l.path()))
                .append("\">").append(esc(l.label())).append("</a> "));
        h.append("</p></td></tr><tr><td style=\"padding:8px 4px;font-size:12px;color:#6b7280\">DMARC Lens ")
                .append(esc(cadence)).append(" digest</td></tr></table></body></html>");
        return h.toString();
    }

    private static String json(DigestData d, String cadence, List<Notice.DashboardLink> links, Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("event", "digest");
        p.put("cadence", cadence);
        p.put("domain", d.scope());
        p.put("from", d.period().from().toString());
        p.put("to", d.period().to().toString());
        p.put("messages", d.totals().messages());
        p.put("dmarc_pass", d.totals().dmarcPass());
        p.put("pass_rate", round(d.totals().passRate() * 100));
        p.put("previous", Map.of("messages", d.previous().messages(), "pass_rate", round(d.previous().passRate() * 100)));
        List<String> days = new ArrayList<>();
        List<Long> messages = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (DailyTotals day : d.daily()) {
            days.add(day.day().toString());
            messages.add(day.totals().messages());
            rates.add(round(day.totals().passRate() * 100));
        }
        p.put("chart", Map.of("days", days, "messages", messages, "pass_rate", rates));
        p.put("top_failing", d.topFailing().stream().map(s -> Map.of("ip", s.ip(), "name", source(s), "failing",
                s.dmarcFail(), "messages", s.messages(), "reason", reason(s))).toList());
        p.put("new_senders", d.newSenders().stream().map(s -> Map.of("ip", s.ip(), "name", source(s), "messages",
                s.messages(), "dmarc_pass", s.dmarcPass())).toList());
        p.put("forwarders", d.forwarders().stream().map(f -> Map.of("ip", f.ip(), "name", forwarder(f), "messages",
                f.messages(), "dkim_survived", f.dkimSurvived())).toList());
        p.put("open_alerts", d.openAlerts().stream().map(a -> Map.of("id", a.id(), "rule", a.rule(), "domain",
                a.domain(), "summary", a.summary())).toList());
        if (!d.domains().isEmpty()) {
            p.put("domains", d.domains().stream().map(x -> Map.of("domain", x.domain(), "messages", x.messages(),
                    "failing", x.failing())).toList());
        }
        if (d.readiness() != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("days", d.readiness().days());
            r.put("compliant_share", round(d.readiness().compliantShare() * 100));
            r.put("current_policy", d.readiness().currentPolicy());
            r.put("next_step", d.readiness().nextStep());
            r.put("record_to_publish", d.readiness().recordToPublish());
            p.put("readiness", r);
        }
        p.put("links", links.stream().map(l -> Map.of("label", l.label(), "path", l.path())).toList());
        p.put("at", at.toString());
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a digest could not be written as JSON", e);
        }
    }

    private static void figure(StringBuilder h, String label, String value, String note) {
        h.append("<td width=\"33%\" valign=\"top\" style=\"background:#f9fafb;border:1px solid #e5e7eb;padding:10px\">")
                .append("<div style=\"font-size:12px;color:#6b7280\">").append(esc(label)).append("</div>")
                .append("<div style=\"font-size:22px;font-weight:bold;color:#111827\">").append(esc(value)).append("</div>")
                .append("<div style=\"font-size:12px;color:#6b7280\">").append(esc(note)).append("</div></td>");
    }

    private static void section(StringBuilder h, String title) {
        h.append("<h2 style=\"font-size:16px;margin:20px 0 8px 0;color:#111827\">").append(esc(title)).append("</h2>");
    }

    private static String table() {
        return "<table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:13px\">";
    }

    static String source(SourceStats s) {
        String who = s.senderName() != null ? s.senderName() : s.reverseDns() != null ? s.reverseDns()
                : s.asName() != null ? s.asName() : null;
        return who == null ? s.ip() : s.ip() + " (" + who + ")";
    }

    static String forwarder(ForwardingSource f) {
        String who = f.senderName() != null ? f.senderName() : f.reverseDns();
        return who == null ? f.ip() : f.ip() + " (" + who + ")";
    }

    static String reason(SourceStats s) {
        String aligned = "SPF " + (s.spfAligned() > 0 ? "aligned on " + s.spfAligned() : "not aligned") + ", DKIM "
                + (s.dkimAligned() > 0 ? "aligned on " + s.dkimAligned() : "not aligned");
        String why = s.classificationReason() != null ? s.classificationReason() : s.classification();
        return (why == null ? "" : why + "; ") + aligned;
    }

    private static String alertLine(Alert a) {
        return a.rule() + (AlertLog.ALL_DOMAINS.equals(a.domain()) ? "" : " (" + a.domain() + ")") + ": " + a.summary()
                + (a.since() == null ? "" : ", since " + a.since());
    }

    static String change(long now, long before) {
        if (before == 0) {
            return now == 0 ? "no change" : "none before";
        }
        double c = (now - before) * 100.0 / before;
        return String.format(Locale.ROOT, "%+.0f%%", c);
    }

    private static String points(Totals now, Totals before) {
        if (before.messages() == 0) {
            return "nothing to compare";
        }
        return String.format(Locale.ROOT, "%+.1f points", (now.passRate() - before.passRate()) * 100);
    }

    private static String pct(Totals t) {
        return rate(t.dmarcPass(), t.messages());
    }

    static String rate(long part, long whole) {
        return whole == 0 ? "\u2013" : String.format(Locale.ROOT, "%.1f%%", part * 100.0 / whole);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
