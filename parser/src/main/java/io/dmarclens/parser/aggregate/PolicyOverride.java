package io.dmarclens.parser.aggregate;

/**
 * Why a receiver applied a disposition other than the published policy. RFC 7489 and RFC 9990 values;
 * {@link #FORWARDED} and {@link #SAMPLED_OUT} are RFC 7489 only, {@link #POLICY_TEST_MODE} RFC 9990 only.
 */
public enum PolicyOverride {
    FORWARDED, SAMPLED_OUT, TRUSTED_FORWARDER, MAILING_LIST, LOCAL_POLICY, POLICY_TEST_MODE, OTHER;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
