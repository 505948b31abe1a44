package io.dmarclens.web;

import java.time.Duration;

/**
 * How the dashboard behaves towards browsers.
 *
 * @param secureCookies         mark session cookies Secure (set when served behind https)
 * @param sessionIdleTimeout    a session ends after this long without a request
 * @param maxLoginFailuresPerIp failed logins from one address allowed per {@code loginWindow}
 * @param maxLoginFailuresPerUser failed logins for one user name allowed per {@code loginWindow}
 * @param loginWindow           the sliding window of the login limits
 * @param maxUploadBytes        largest upload accepted by the ingest page
 */
public record WebSettings(boolean secureCookies, Duration sessionIdleTimeout, int maxLoginFailuresPerIp,
                          int maxLoginFailuresPerUser, Duration loginWindow, long maxUploadBytes) {

    public static WebSettings defaults() {
        return new WebSettings(false, Duration.ofHours(8), 20, 5, Duration.ofMinutes(15), 64L << 20);
    }

    public WebSettings withSecureCookies(boolean secure) {
        return new WebSettings(secure, sessionIdleTimeout, maxLoginFailuresPerIp, maxLoginFailuresPerUser,
                loginWindow, maxUploadBytes);
    }
}
