package io.dmarclens.parser.aggregate;

import java.util.Locale;

/**
 * Reads the enumerated words of aggregate reports. Reporters write them in any case ({@code Pass},
 * {@code TempError}) and some use legacy words ({@code hardfail}, {@code unknown}, {@code error},
 * {@code invalid}); each method returns null for a word it cannot read, and the caller warns.
 */
final class Words {
    private Words() {
    }

    /** A DKIM or SPF result word, legacy words included (see {@link AuthResult}). */
    static AuthResult authResult(String word) {
        AuthResult exact = authResultExact(word);
        return exact != null ? exact : authResultExact(word.toLowerCase(Locale.ROOT));
    }

    private static AuthResult authResultExact(String word) {
        switch (word) {
            case "pass": return AuthResult.PASS;
            case "fail": case "hardfail": return AuthResult.FAIL;
            case "none": return AuthResult.NONE;
            case "softfail": return AuthResult.SOFTFAIL;
            case "neutral": return AuthResult.NEUTRAL;
            case "policy": return AuthResult.POLICY;
            case "temperror": case "unknown": return AuthResult.TEMPERROR;
            case "permerror": case "error": case "invalid": return AuthResult.PERMERROR;
            default: return null;
        }
    }

    /** True for the words that are not RFC 8601 results but are read as one (hardfail, unknown...). */
    static boolean isLegacyAuthWord(String word) {
        switch (word) {
            case "pass": case "fail": case "none": case "softfail": case "neutral": case "policy":
            case "temperror": case "permerror":
                return false;
            default:
        }
        switch (word.toLowerCase(Locale.ROOT)) {
            case "hardfail": case "unknown": case "error": case "invalid": return true;
            default: return false;
        }
    }

    static Disposition disposition(String word) {
        Disposition exact = dispositionExact(word);
        return exact != null ? exact : dispositionExact(word.toLowerCase(Locale.ROOT));
    }

    private static Disposition dispositionExact(String word) {
        switch (word) {
            case "none": return Disposition.NONE;
            case "quarantine": return Disposition.QUARANTINE;
            case "reject": return Disposition.REJECT;
            case "pass": return Disposition.PASS;
            default: return null;
        }
    }

    static DmarcResult dmarcResult(String word) {
        switch (word) {
            case "pass": return DmarcResult.PASS;
            case "fail": return DmarcResult.FAIL;
            default:
                String lower = word.toLowerCase(Locale.ROOT);
                return lower.equals("pass") ? DmarcResult.PASS : lower.equals("fail") ? DmarcResult.FAIL : null;
        }
    }

    static PolicyOverride policyOverride(String word) {
        PolicyOverride exact = policyOverrideExact(word);
        return exact != null ? exact : policyOverrideExact(word.toLowerCase(Locale.ROOT));
    }

    private static PolicyOverride policyOverrideExact(String word) {
        switch (word) {
            case "forwarded": return PolicyOverride.FORWARDED;
            case "sampled_out": return PolicyOverride.SAMPLED_OUT;
            case "trusted_forwarder": return PolicyOverride.TRUSTED_FORWARDER;
            case "mailing_list": return PolicyOverride.MAILING_LIST;
            case "local_policy": return PolicyOverride.LOCAL_POLICY;
            case "policy_test_mode": return PolicyOverride.POLICY_TEST_MODE;
            case "other": return PolicyOverride.OTHER;
            default: return null;
        }
    }

    /** {@code r} or {@code s}; tolerates the stray punctuation some reporters add ({@code r;}). */
    static Alignment alignment(String word) {
        String letters = lettersOnly(word).toLowerCase(Locale.ROOT);
        switch (letters) {
            case "r": case "relaxed": return Alignment.RELAXED;
            case "s": case "strict": return Alignment.STRICT;
            default: return null;
        }
    }

    /** The word without anything but ASCII letters, digits and underscores. */
    static String lettersOnly(String word) {
        StringBuilder sb = null;
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            if (!keep && sb == null) {
                sb = new StringBuilder(word.length()).append(word, 0, i);
            } else if (keep && sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? word : sb.toString();
    }

    /**
     * An epoch-seconds timestamp. Some reporters write decimals ({@code 1538413632.0}): the integer part
     * is read. Returns null when there is no integer part to read.
     */
    static Long epochSeconds(String text) {
        int dot = text.indexOf('.');
        String whole = dot >= 0 ? text.substring(0, dot) : text;
        if (dot >= 0) {
            for (int i = dot + 1; i < text.length(); i++) {
                if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                    return null;
                }
            }
        }
        return parseLong(whole);
    }

    /** A non-negative integer, or null. No exception on the hot path for ordinary numbers. */
    static Long parseLong(String text) {
        int n = text.length();
        if (n == 0 || n > 18) {
            return null;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A report id without the surrounding angle brackets some reporters add ({@code <id@host>}). */
    static String reportId(String id) {
        if (id.length() >= 2 && id.charAt(0) == '<' && id.charAt(id.length() - 1) == '>') {
            return id.substring(1, id.length() - 1).trim();
        }
        return id;
    }

    /** The domain of a contact address ({@code mailto:noreply@example.com} or {@code <a@b>}), or empty. */
    static String emailDomain(String email) {
        int at = email.lastIndexOf('@');
        if (at < 0) {
            return "";
        }
        int end = at + 1;
        while (end < email.length() && " >;,\t".indexOf(email.charAt(end)) < 0) {
            end++;
        }
        return email.substring(at + 1, end).toLowerCase(Locale.ROOT);
    }
}
