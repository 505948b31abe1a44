package io.dmarclens.web;

import io.dmarclens.web.auth.LoginLimits;
import io.dmarclens.web.auth.TrustedProxies;
import java.time.Duration;

/**
 * How the dashboard behaves towards browsers.
 *
 * @param secureCookies      mark session cookies Secure (set when served behind https)
 * @param sessionIdleTimeout a session ends after this long without a request
 * @param sessionLifetime    a session ends this long after the login, however busy
 * @param login              the limits on failed logins
 * @param trustedProxies     the reverse proxies whose {@code X-Forwarded-For} names the client
 * @param maxUploadBytes     largest upload accepted by the ingest page
 */
public record WebSettings(boolean secureCookies, Duration sessionIdleTimeout, Duration sessionLifetime,
                          LoginLimits login, TrustedProxies trustedProxies, long maxUploadBytes) {

    public static WebSettings defaults() {
        return new WebSettings(false, Duration.ofHours(8), Duration.ofHours(12), LoginLimits.defaults(),
                TrustedProxies.none(), 64L << 20);
    }

    public WebSettings withSecureCookies(boolean secure) {
        return new WebSettings(secure, sessionIdleTimeout, sessionLifetime, login, trustedProxies, maxUploadBytes);
    }

    public WebSettings withSessionLifetime(Duration lifetime) {
        return new WebSettings(secureCookies, sessionIdleTimeout, lifetime, login, trustedProxies, maxUploadBytes);
    }

    public WebSettings withLogin(LoginLimits limits) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, limits, trustedProxies,
                maxUploadBytes);
    }

    public WebSettings withTrustedProxies(TrustedProxies proxies) {
        return new WebSettings(secureCookies, sessionIdleTimeout, sessionLifetime, login, proxies, maxUploadBytes);
    }
}
