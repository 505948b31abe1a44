package io.dmarclens.web;

import io.dmarclens.web.auth.LoginLimits;
import io.dmarclens.web.auth.TrustedProxies;
import io.dmarclens.web.metrics.MetricsSettings;
import java.time.Duration;
import java.util.Set;

/**
 * How the dashboard behaves towards browsers.
 *
 * @param secureCookies      mark session cookies Secure always (they are Secure anyway on a request that came
 *                           over https, directly or through a trusted proxy that says so)
 * @param sessionIdleTimeout a session ends after this long without a request
 * @param sessionLifetime    a session ends this long after the login, however busy
 * @param login              the limits on failed logins
 * @param trustedProxies     the reverse proxies whose {@code X-Forwarded-For} names the client
 * @param maxUploadBytes     largest upload accepted by the ingest page
 * @param revealUsers        the users who may reveal the addresses of failure reports and download their
 *                           originals (until roles exist); API tokens never may
 * @param requests           how slowly a client may send before it is cut off
 * @param metrics            how {@code /metrics} is served (token, listen address, per-domain gauges)
 */
public record WebSettings(boolean secureCookies, Duration sessionIdleTimeout, Duration sessionLifetime,
                          LoginLimits login, TrustedProxies trustedProxies, long maxUploadBytes,
                          Set<String> revealUsers, RequestLimits requests, MetricsSettings metrics) {

    public WebSettings {
        revealUsers = Set.copyOf(revealUsers);
    }

    public static WebSettings defaults() {
        return new WebSettings(false, Duration.ofHours(8), Duration.ofHours(12), LoginLimits.defaults(),
                TrustedProxies.none(), 64L << 20, Set.of(),
                RequestLimits.defaults(), MetricsSettings.defaults());
    }

    public WebSettings withSecureCookies(boolean secure) {
        return new WebSettings(secure, sessionIdleTimeout, sessionLifetime, login, trustedProxies, maxUploadBytes,
                revealUsers, requests, metrics);
    }

    public WebSettings withSessionLifetime(Duration lifetime) {
        return new WebSettings(secureCookies, sessionIdleTimeout, lifetime, login, trustedProxies, maxUploadBytes,
                revealUsers, requests, metrics);
    }

    public WebSettings withLogin(LoginLimits limits) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, limits, trustedProxies,
                maxUploadBytes, revealUsers, requests, metrics);
    }

    public WebSettings withTrustedProxies(TrustedProxies proxies) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, proxies, maxUploadBytes,
                revealUsers, requests, metrics);
    }

    public WebSettings withRevealUsers(Set<String> users) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, users, requests, metrics);
    }

    public WebSettings withMetrics(MetricsSettings m) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, revealUsers, requests, m);
    }

    public WebSettings withRequests(RequestLimits limits) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, revealUsers, limits, metrics);
    }
}
