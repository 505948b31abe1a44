package io.dmarclens.web.metrics;

import java.time.Duration;

/**
 * How {@code /metrics} is served.
 *
 * @param enabled       whether there is a {@code /metrics} at all
 * @param token         the bearer token a scrape must send ({@code Authorization: Bearer ...}), or null; on the
 *                      dashboard's address {@code /metrics} answers only with it
 * @param listenHost    a separate address serving {@code /metrics}, {@code /health} and {@code /ready} only,
 *                      or null for the dashboard's address
 * @param listenPort    its port (0 picks a free one); ignored without {@code listenHost}
 * @param domains       the policy domains with a label of their own in the per-domain gauges (those with the
 *                      most messages); the rest are summed under {@code domain="_other"}
 * @param domainRefresh how long the per-domain gauges are served from their cache before the store is asked again
 */
public record MetricsSettings(boolean enabled, String token, String listenHost, int listenPort, int domains,
                              Duration domainRefresh) {
    public static final int DEFAULT_DOMAINS = 100;
    public static final Duration DEFAULT_DOMAIN_REFRESH = Duration.ofSeconds(60);

    public MetricsSettings {
        if (token != null && token.isBlank()) {
            token = null;
        }
        if (domains < 0 || domains > 10_000) {
            throw new IllegalArgumentException("metrics.domains must be between 0 and 10000, not " + domains);
        }
        if (domainRefresh.isNegative()) {
            throw new IllegalArgumentException("metrics.domain_refresh must not be negative, not " + domainRefresh);
        }
    }

    /** On, on the dashboard's address, without a token: {@code /metrics} answers 404 until a token is set. */
    public static MetricsSettings defaults() {
        return new MetricsSettings(true, null, null, 0, DEFAULT_DOMAINS, DEFAULT_DOMAIN_REFRESH);
    }

    /** Whether a separate listener serves {@code /metrics}. */
    public boolean separateListener() {
        return listenHost != null;
    }

    public MetricsSettings withToken(String t) {
        return new MetricsSettings(enabled, t, listenHost, listenPort, domains, domainRefresh);
    }

    public MetricsSettings withListen(String host, int port) {
        return new MetricsSettings(enabled, token, host, port, domains, domainRefresh);
    }

    public MetricsSettings withDomains(int n, Duration refresh) {
        return new MetricsSettings(enabled, token, listenHost, listenPort, n, refresh);
    }

    /** Never prints the token. */
    @Override
    public String toString() {
        return "MetricsSettings[enabled=" + enabled + ", token=" + (token == null ? "none" : "set") + ", listen="
                + (listenHost == null ? "dashboard" : listenHost + ":" + listenPort) + ", domains=" + domains
                + ", domainRefresh=" + domainRefresh + "]";
    }
}
