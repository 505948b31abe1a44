package io.dmarclens.web;

import java.time.Duration;
import java.util.Set;

/**
 * How the dashboard behaves towards browsers.
 *
 * @param secureCookies         mark session cookies Secure (set when served behind https)
 * @param sessionIdleTimeout    a session ends after this long without a request
 * @param maxLoginFailuresPerIp failed logins from one address allowed per {@code loginWindow}
 * @param maxLoginFailuresPerUser failed logins for one user name allowed per {@code loginWindow}
 * @param loginWindow           the sliding window of the login limits
 * @param maxUploadBytes        largest upload accepted by the ingest page
 * @param revealUsers           the users who may reveal the addresses of failure reports and download their
 *                              originals (until roles exist); API tokens never may
 */
public record WebSettings(boolean secureCookies, Duration sessionIdleTimeout, int maxLoginFailuresPerIp,
                          int maxLoginFailuresPerUser, Duration loginWindow, long maxUploadBytes,
                          Set<String> revealUsers) {

    public WebSettings {
        revealUsers = Set.copyOf(revealUsers);
    }

    public static WebSettings defaults() {
        return new WebSettings(false, Duration.ofHours(8), 20, 5, Duration.ofMinutes(15), 64L << 20, Set.of());
    }

    public WebSettings withSecureCookies(boolean secure) {
        return new WebSettings(secure, sessionIdleTimeout, maxLoginFailuresPerIp, maxLoginFailuresPerUser,
                loginWindow, maxUploadBytes, revealUsers);
    }

    public WebSettings withRevealUsers(Set<String> users) {
        return new WebSettings(secureCookies, sessionIdleTimeout, maxLoginFailuresPerIp, maxLoginFailuresPerUser,
                loginWindow, maxUploadBytes, users);
    }
}
