package io.dmarclens.parser.aggregate;

/**
 * A raw DKIM or SPF result (RFC 8601). Legacy and mis-cased words are normalised by the parser:
 * {@code hardfail} is {@link #FAIL}, {@code unknown} is {@link #TEMPERROR} (RFC 7489 XSD: "TempError
 * commonly implemented as unknown"), {@code error} and {@code invalid} are {@link #PERMERROR}; the word
 * as written is kept beside it.
 */
public enum AuthResult {
    NONE, PASS, FAIL, SOFTFAIL, NEUTRAL, POLICY, TEMPERROR, PERMERROR;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
