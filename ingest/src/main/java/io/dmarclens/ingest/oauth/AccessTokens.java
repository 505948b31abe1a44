package io.dmarclens.ingest.oauth;

import java.time.Instant;

/**
 * The access tokens of one mailbox account. A connection asks for {@link #current()} just before it logs
 * in; when the server refuses the token, it says so with {@link #refused(AccessToken)}, and the next
 * {@code current()} never hands out that token again.
 */
public interface AccessTokens {
    /**
     * A token to log in with now: the one held while it is not about to expire, else a new one.
     *
     * @throws TokenException when no token can be had now
     */
    AccessToken current() throws TokenException;

    /** The server refused {@code token} (expired early, revoked): forget it. */
    void refused(AccessToken token);

    /**
     * A token given once in the configuration; it cannot be renewed, so a refusal ends with the account
     * reported failing (and the same token is not sent again until the process restarts).
     */
    static AccessTokens fixed(String token) {
        AccessToken fixed = new AccessToken(token, Instant.EPOCH, null);
        return new AccessTokens() {
            private volatile boolean refused;

            @Override
            public AccessToken current() throws TokenException {
                if (refused) {
                    throw new TokenException("the access token was refused and this account has no way to get"
                            + " another; configure a refresh token, a token file or a client credential");
                }
                return fixed;
            }

            @Override
            public void refused(AccessToken token) {
                refused = true;
            }
        };
    }
}
