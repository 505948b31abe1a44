package io.dmarclens.ingest.oauth;

/** Asks a token endpoint for a new access token (no caching: {@link RenewingTokens} keeps it). */
@FunctionalInterface
interface TokenSource {
    /** @throws TokenException when the endpoint refuses, cannot be reached or answers no token */
    AccessToken fetch() throws TokenException;
}
