package io.dmarclens.store.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message about an alert, as the rules wrote it, for whoever delivers it (mail, web hooks): written
 * to the {@link Outbox} before anything is sent, so that a crash neither loses nor repeats it. Immutable;
 * every text in it was built from values escaped where they are shown ({@code html} is safe to embed).
 *
 * @param kind      whether the alert opened or resolved
 * @param alertId   the alert it is about (0 until the alert log assigned one; see {@link #withAlertId})
 * @param rule      the rule's id, e.g. {@code new-failing-source}
 * @param domain    the policy domain, or {@link AlertLog#ALL_DOMAINS} for rules about DMARC Lens itself
 * @param subject   one line, e.g. {@code [DMARC Lens] example.com: new failing source 203.0.113.7}
 * @param text      the plain text body: what happened, since when, how much, why it matters, what to do
 * @param html      the same as an HTML fragment (no scripts, no styles from outside)
 * @param json      the machine-readable payload (a JSON object; see docs/alerts.md)
 * @param links     links into the dashboard filtered to the evidence, relative to its base address
 * @param createdAt when the rule wrote it
 */
public record Notice(Kind kind, long alertId, String rule, String domain, String subject, String text, String html,
                     String json, List<DashboardLink> links, Instant createdAt) {
    public Notice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(createdAt, "createdAt");
        links = List.copyOf(links);
    }

    /** What the notice says about its alert. */
    public enum Kind {
        /** The condition began: a new alert. */
        OPENED,
        /** The condition cleared: the alert resolved by itself (said once). */
        RESOLVED,
        /** A daily or weekly digest (alert id 0); its {@code json} holds the chart's series. */
        DIGEST
    }

    /** The same notice about the alert with id {@code id}. */
    public Notice withAlertId(long id) {
        return new Notice(kind, id, rule, domain, subject, text, html, json, links, createdAt);
    }

    /**
     * A link into the dashboard.
     *
     * @param label what it shows, e.g. {@code Failing sources of example.com, 2026-03-01 to 2026-03-02}
     * @param path  path and query relative to the dashboard's base address, starting with {@code /}
     */
    public record DashboardLink(String label, String path) {
        public DashboardLink {
            Objects.requireNonNull(label, "label");
            if (path == null || !path.startsWith("/") || path.startsWith("//")) {
                throw new IllegalArgumentException("a dashboard link is a path starting with one /: " + path);
            }
        }
    }
}
