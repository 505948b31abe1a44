package io.dmarclens.web.auth;

import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.users.Role;

/**
 * Who made a request: a browser session (may change things, with its CSRF token) or a read-only API token,
 * with the user's role (a token carries its user's role).
 *
 * @param user      the user name
 * @param role      what the user may do, read from the accounts on every request
 * @param session   the browser session, or null for a token
 * @param scope     the policy domains this request may see: the user's scope, narrowed by the token's for a token
 */
public record Principal(String user, Role role, Sessions.Session session, DomainScope scope) {
    public boolean readOnly() {
        return session == null;
    }

    /** The CSRF token forms must carry, empty for tokens (which cannot post). */
    public String csrfToken() {
        return session == null ? "" : session.csrfToken();
    }
}
