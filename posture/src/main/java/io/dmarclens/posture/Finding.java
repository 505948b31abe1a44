package io.dmarclens.posture;

/**
 * One thing a posture check found, e.g. {@code ERROR spf.too-many-lookups "SPF needs 12 DNS lookups; the
 * limit is 10 (RFC 7208 4.6.4): receivers return permerror"}. Codes are stable and documented in
 * docs/posture.md; messages are for people.
 */
public record Finding(Severity severity, String code, String message) {

    /** How much a finding matters; ordered from worst to best. */
    public enum Severity {
        /** Breaks DMARC, SPF or DKIM for some receivers, or loses reports. */
        ERROR,
        /** Works, but is risky, deprecated or weaker than it should be. */
        WARNING,
        /** Worth knowing; nothing to fix. */
        INFO,
        /** Checked and fine. */
        OK;

        public String token() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static Finding error(String code, String message) {
        return new Finding(Severity.ERROR, code, message);
    }

    public static Finding warning(String code, String message) {
        return new Finding(Severity.WARNING, code, message);
    }

    public static Finding info(String code, String message) {
        return new Finding(Severity.INFO, code, message);
    }

    public static Finding ok(String code, String message) {
        return new Finding(Severity.OK, code, message);
    }
}
