package io.dmarclens.parser.aggregate;

/** The DMARC-evaluated (aligned) result of DKIM or SPF in {@code policy_evaluated}. */
public enum DmarcResult {
    PASS, FAIL;

    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
