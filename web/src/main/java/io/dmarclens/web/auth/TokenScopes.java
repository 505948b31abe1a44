package io.dmarclens.web.auth;

import io.dmarclens.store.query.DomainScope;
import java.util.Set;

/**
 * Whether a token's domains lie within its user's scope, so that narrowing is all a token's scope can do:
 * every domain the token names must be one the user may see, and a pattern ({@code *.example.com}) only
 * where the user has the same pattern or one over a parent domain ({@code *.com}). (The gate narrows the
 * user's scope by the token's anyway; this check turns a mistake into a clear refusal at creation instead of
 * a token that silently sees less than its owner meant.)
 */
final class TokenScopes {
    private TokenScopes() {
    }

    /** Whether every domain {@code token} admits is admitted by {@code user}. */
    static boolean within(DomainScope token, DomainScope user) {
        if (user.isAll()) {
            return true;
        }
        if (token.isAll()) {
            return false;
        }
        for (Set<String> tokenList : token.lists()) {
            // A one-list token (as tokens are made) is within when each of its entries is.
            for (String entry : tokenList) {
                for (Set<String> userList : user.lists()) {
                    if (!covered(entry, userList)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private static boolean covered(String entry, Set<String> userList) {
        if (entry.startsWith("*.")) {
            String base = entry.substring(2);
            for (String u : userList) {
                if (u.startsWith("*.") && (base.equals(u.substring(2)) || base.endsWith(u.substring(1)))) {
                    return true;
                }
            }
            return false;
        }
        return DomainScope.of(userList).permits(entry);
    }
}
