package io.dmarclens.store;

import java.util.Locale;
import java.util.Objects;

/**
 * Whether a report (aggregate, failure or TLS) is known to come from the organisation it names: anyone can
 * mail a report claiming to be from {@code google.com}, so each report mail's DKIM signature is checked and its
 * signing domain compared with the reporter's domain (for each kind, docs/security.md says which domain that
 * is).
 *
 * @param verdict what the check found
 * @param reason  why, in a few words for users (the signing domain, or what failed); bounded in length
 */
public record Authenticity(Verdict verdict, String reason) {
    /** Longest reason kept: the text may quote a stranger's header. */
    public static final int MAX_REASON = 200;

    /** What the check of a report's origin found. */
    public enum Verdict {
        /** A valid DKIM signature whose domain is aligned with the reporter's domain. */
        VERIFIED,
        /** Mailed in without such a signature: anyone could have sent it. */
        UNVERIFIED,
        /** Imported by hand (the {@code import} command, an upload): the user vouches for it. */
        IMPORTED,
        /** Mailed in while DKIM could not be checked (offline mode), or stored before checks existed. */
        NOT_CHECKED;

        /** The name stored and shown: {@code verified}, {@code unverified}, {@code imported}, {@code not_checked}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The verdict of a stored {@link #code()}; unknown codes read as {@link #NOT_CHECKED}. */
        public static Verdict ofCode(String code) {
            for (Verdict v : values()) {
                if (v.code().equals(code)) {
                    return v;
                }
            }
            return NOT_CHECKED;
        }
    }

    public Authenticity {
        Objects.requireNonNull(verdict, "verdict");
        reason = reason == null ? "" : reason.strip();
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON - 1) + "…";
        }
    }

    /** A file imported by hand. */
    public static Authenticity imported() {
        return new Authenticity(Verdict.IMPORTED, "imported by hand");
    }

    /** A mail that could not be checked, e.g. {@code notChecked("offline")}. */
    public static Authenticity notChecked(String why) {
        return new Authenticity(Verdict.NOT_CHECKED, "not checked (" + why + ")");
    }

    public static Authenticity verified(String reason) {
        return new Authenticity(Verdict.VERIFIED, reason);
    }

    public static Authenticity unverified(String reason) {
        return new Authenticity(Verdict.UNVERIFIED, reason);
    }

    /** Whether the figures leave this report out when they are asked to leave out unverified reports. */
    public boolean unverified() {
        return verdict == Verdict.UNVERIFIED;
    }
}
