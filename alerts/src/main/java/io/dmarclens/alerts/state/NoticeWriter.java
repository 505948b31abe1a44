package io.dmarclens.alerts.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.alerts.rules.Condition;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.Notice;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the notices of alerts: subject, plain text, an HTML fragment (every value escaped) and the JSON
 * payload (docs/alerts.md), with the links into the dashboard.
 */
final class NoticeWriter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Subjects and payloads carry text from reports (reporter names, PTR names): keep them bounded. */
    private static final int MAX_SUBJECT = 200;

    String domainName(String domain) {
        return AlertLog.ALL_DOMAINS.equals(domain) ? "all domains" : domain;
    }

    String subject(AlertRule rule, String domain, String rest) {
        String s = "[DMARC Lens] " + (AlertLog.ALL_DOMAINS.equals(domain) ? "" : domain + ": ") + rest;
        s = s.replaceAll("[\\r\\n\\t]+", " ");
        return s.length() > MAX_SUBJECT ? s.substring(0, MAX_SUBJECT - 1) + "\u2026" : s;
    }

    /** The notice of a new alert. */
    Notice opened(AlertRule rule, String domain, Condition c, long alertId, Instant at) {
        String subject = subject(rule, domain, rule.title() + ": " + c.headline());
        StringBuilder text = new StringBuilder();
        text.append(rule.title()).append(" \u2014 ").append(domainName(domain)).append("\n\n");
        text.append("What happened: ").append(c.what()).append('\n');
        text.append("Since: ").append(c.since()).append('\n');
        text.append("How much: ").append(c.howMuch()).append('\n');
        text.append("Why it matters: ").append(rule.why()).append('\n');
        text.append("What to do: ").append(c.todo()).append('\n');
        if (!c.details().isEmpty()) {
            text.append("\nEvidence:\n");
            c.details().forEach(d -> text.append("  - ").append(d).append('\n'));
        }
        text.append("\nIn the dashboard:\n");
        c.links().forEach(l -> text.append("  - ").append(l.label()).append(": ").append(l.path()).append('\n'));
        text.append("\nThis alert stays open while the condition holds (no repeats) and says once when it clears.\n");

        StringBuilder html = new StringBuilder();
        html.append("<h2>").append(esc(rule.title())).append(" \u2014 ").append(esc(domainName(domain))).append("</h2>");
        html.append("<table>");
        row(html, "What happened", c.what());
        row(html, "Since", c.since().toString());
        row(html, "How much", c.howMuch());
        row(html, "Why it matters", rule.why());
        row(html, "What to do", c.todo());
        html.append("</table>");
        if (!c.details().isEmpty()) {
            html.append("<h3>Evidence</h3><ul>");
            c.details().forEach(d -> html.append("<li>").append(esc(d)).append("</li>"));
            html.append("</ul>");
        }
        html.append("<h3>In the dashboard</h3><ul>");
        c.links().forEach(l -> html.append("<li><a href=\"").append(esc(l.path())).append("\">").append(esc(l.label()))
                .append("</a></li>"));
        html.append("</ul>");

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "alert.opened");
        payload.put("alert_id", alertId);
        payload.put("rule", rule.id());
        payload.put("rule_title", rule.title());
        payload.put("domain", domain);
        payload.put("headline", c.headline());
        payload.put("what", c.what());
        payload.put("since", c.since().toString());
        payload.put("amount", c.amount());
        payload.put("how_much", c.howMuch());
        payload.put("why", rule.why());
        payload.put("what_to_do", c.todo());
        payload.put("evidence", c.evidence());
        payload.put("links", links(c.links()));
        payload.put("at", at.toString());
        return new Notice(Notice.Kind.OPENED, alertId, rule.id(), domain, subject, text.toString(), html.toString(),
                json(payload), c.links(), at);
    }

    /** The notice of an alert that resolved by itself. */
    Notice resolved(AlertRule rule, Alert alert, Instant at) {
        String subject = subject(rule, alert.domain(), "resolved: " + rule.title());
        String what = "The condition of this alert no longer holds: " + alert.summary();
        List<Notice.DashboardLink> links = List.of(new Notice.DashboardLink("Alert " + alert.id(),
                "/alerts/" + alert.id()));
        String text = rule.title() + " \u2014 " + domainName(alert.domain()) + ": resolved\n\n"
                + "Resolved: " + at + " (open since " + alert.since() + ", raised " + alert.openedAt() + ")\n"
                + "Was: " + alert.summary() + "\n"
                + "Nothing more to do unless it comes back; this is the only message about its end.\n\n"
                + "In the dashboard:\n  - " + links.get(0).label() + ": " + links.get(0).path() + "\n";
        String html = "<h2>" + esc(rule.title()) + " \u2014 " + esc(domainName(alert.domain())) + ": resolved</h2>"
                + "<p>" + esc(what) + "</p><p>Resolved " + esc(at.toString()) + "; open since "
                + esc(alert.since().toString()) + ".</p><p><a href=\"" + esc(links.get(0).path()) + "\">"
                + esc(links.get(0).label()) + "</a></p>";
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", "alert.resolved");
        payload.put("alert_id", alert.id());
        payload.put("rule", rule.id());
        payload.put("rule_title", rule.title());
        payload.put("domain", alert.domain());
        payload.put("summary", alert.summary());
        payload.put("since", alert.since().toString());
        payload.put("opened_at", alert.openedAt().toString());
        payload.put("resolved_at", at.toString());
        payload.put("links", links(links));
        payload.put("at", at.toString());
        return new Notice(Notice.Kind.RESOLVED, alert.id(), rule.id(), alert.domain(), subject, text, html,
                json(payload), links, at);
    }

    /** The evidence object of an alert (as stored with it). */
    String evidence(Condition c) {
        return json(c.evidence());
    }

    private static List<Map<String, String>> links(List<Notice.DashboardLink> links) {
        return links.stream().map(l -> {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("label", l.label());
            m.put("path", l.path());
            return m;
        }).toList();
    }

    private static void row(StringBuilder html, String key, String value) {
        html.append("<tr><th align=\"left\">").append(esc(key)).append("</th><td>").append(esc(value)).append("</td></tr>");
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an alert payload could not be written as JSON", e);
        }
    }
}
