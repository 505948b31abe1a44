package io.dmarclens.web;

import io.dmarclens.store.users.Role;
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
 * @param twoFactorRoles     the roles whose users must log in with a second factor (TOTP)
 * @param requests           how slowly a client may send before it is cut off
 * @param metrics            how {@code /metrics} is served (token, listen address, per-domain gauges)
 * @param twoFactorKeyFile   the key that seals the TOTP secrets ({@code web.two_factor.key_file}), shared by the
 *                           nodes of a cluster; null for {@code two-factor.key} in the data directory
 */
public record WebSettings(boolean secureCookies, Duration sessionIdleTimeout, Duration sessionLifetime,
                          LoginLimits login, TrustedProxies trustedProxies, long maxUploadBytes,
                          Set<Role> twoFactorRoles, RequestLimits requests, MetricsSettings metrics,
                          java.nio.file.Path twoFactorKeyFile) {

    public WebSettings {
        twoFactorRoles = Set.copyOf(twoFactorRoles);
    }

    public static WebSettings defaults() {
        return new WebSettings(false, Duration.ofHours(8), Duration.ofHours(12), LoginLimits.defaults(),
                TrustedProxies.none(), 64L << 20, Set.of(),
                RequestLimits.defaults(), MetricsSettings.defaults(), null);
    }

    public WebSettings withSecureCookies(boolean secure) {
        return new WebSettings(secure, sessionIdleTimeout, sessionLifetime, login, trustedProxies, maxUploadBytes,
                twoFactorRoles, requests, metrics, twoFactorKeyFile);
    }

    public WebSettings withSessionLifetime(Duration lifetime) {
        return new WebSettings(secureCookies, sessionIdleTimeout, lifetime, login, trustedProxies, maxUploadBytes,
                twoFactorRoles, requests, metrics, twoFactorKeyFile);
    }

    public WebSettings withLogin(LoginLimits limits) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, limits, trustedProxies,
                maxUploadBytes, twoFactorRoles, requests, metrics, twoFactorKeyFile);
    }

    public WebSettings withTrustedProxies(TrustedProxies proxies) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, proxies, maxUploadBytes,
                twoFactorRoles, requests, metrics, twoFactorKeyFile);
    }

    public WebSettings withTwoFactorRoles(Set<Role> roles) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, roles, requests, metrics, twoFactorKeyFile);
    }

    public WebSettings withMetrics(MetricsSettings m) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, twoFactorRoles, requests, m, twoFactorKeyFile);
    }

    public WebSettings withRequests(RequestLimits limits) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, twoFactorRoles, limits, metrics, twoFactorKeyFile);
    }

    public WebSettings withTwoFactorKeyFile(java.nio.file.Path file) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, trustedProxies,
                maxUploadBytes, twoFactorRoles, requests, metrics, file);
    }
}
