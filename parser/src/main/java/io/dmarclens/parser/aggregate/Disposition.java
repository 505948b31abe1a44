package io.dmarclens.parser.aggregate;

/**
 * A DMARC policy ({@code p}, {@code sp}, {@code np}) or the disposition a receiver applied. {@link #PASS}
 * only appears as an applied disposition (RFC 9990: "no action, passing DMARC w/enforcing policy").
 */
public enum Disposition {
    NONE, QUARANTINE, REJECT, PASS;

    /** The lower-case token used in reports and records. */
    public String token() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
