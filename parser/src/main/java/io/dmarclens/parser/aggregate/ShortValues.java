package io.dmarclens.parser.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The short values of one document (result words, domains, selectors...), each made a String once:
 * a report repeats a few of them a million times. Seeded with the words the readers switch on, as the
 * very constants they compare with. Bounded: once its slots are taken, a value is made afresh each time.
 */
final class ShortValues {
    static final int MAX_LENGTH = 32;
    private static final int SLOTS = 1024;
    private static final List<String> WORDS = List.of("pass", "fail", "none", "softfail", "neutral", "policy",
            "temperror", "permerror", "quarantine", "reject", "mfrom", "helo", "r", "s", "y", "n", "forwarded",
            "sampled_out", "trusted_forwarder", "mailing_list", "local_policy", "other");

    private final byte[][] keys = new byte[SLOTS][];
    private final String[] values = new String[SLOTS];

    ShortValues() {
        for (String w : WORDS) {
            byte[] b = w.getBytes(StandardCharsets.ISO_8859_1);
            int slot = slot(w.hashCode());
            if (keys[slot] == null) {
                keys[slot] = b;
                values[slot] = w;
            }
        }
    }

    /**
     * The value of the {@code length} (at most {@link #MAX_LENGTH}) ASCII bytes at {@code from}, whose
     * hash as {@link String#hashCode} computes it is {@code hash}.
     */
    String of(byte[] b, int from, int length, int hash) {
        int slot = slot(hash);
        byte[] key = keys[slot];
        if (key != null && same(key, b, from, length)) {
            return values[slot];
        }
        String value = new String(b, from, length, StandardCharsets.ISO_8859_1);
        if (key == null) {
            keys[slot] = Arrays.copyOfRange(b, from, from + length);
            values[slot] = value;
        }
        return value;
    }

    /** A plain loop: faster than the vectorised compare for values this short. */
    private static boolean same(byte[] key, byte[] b, int from, int length) {
        if (key.length != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (key[i] != b[from + i]) {
                return false;
            }
        }
        return true;
    }

    private static int slot(int hash) {
        return (hash ^ (hash >>> 10)) & (SLOTS - 1);
    }
}
