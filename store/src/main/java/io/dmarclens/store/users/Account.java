package io.dmarclens.store.users;

import java.util.Optional;

/**
 * What the dashboard needs to know of one user beyond the password.
 *
 * @param name        the login name
 * @param role        what it may do
 * @param scope       its policy domains: {@code all}, or a comma-separated list of domains and patterns
 * @param totpSecret  the encrypted TOTP secret (as the caller sealed it), empty when not enrolled
 */
public record Account(String name, Role role, String scope, Optional<String> totpSecret) {
    /** The scope of a user given none: every domain. */
    public static final String ALL = "all";
}
