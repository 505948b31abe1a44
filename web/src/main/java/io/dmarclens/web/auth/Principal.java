package io.dmarclens.web.auth;

/**
 * Who made a request: a browser session (may change things, with its CSRF token) or a read-only API token.
 *
 * @param user      the user name
 * @param session   the browser session, or null for a token
 */
public record Principal(String user, Sessions.Session session) {
    public boolean readOnly() {
        return session == null;
    }

    /** The CSRF token forms must carry, empty for tokens (which cannot post). */
    public String csrfToken() {
        return session == null ? "" : session.csrfToken();
    }
}
