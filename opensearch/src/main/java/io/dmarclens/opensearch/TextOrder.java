package io.dmarclens.opensearch;

import java.util.Comparator;

/**
 * Text in the order SQLite's default collation (memcmp of UTF-8) and OpenSearch's keyword fields (bytes of
 * UTF-8) sort it: by code point. {@link String#compareTo} compares UTF-16 units, which differs for
 * characters above U+FFFF; a tie-break in memory must agree with the other store to the last row.
 */
final class TextOrder {
    private TextOrder() {
    }

    /** Code point order (= UTF-8 byte order). */
    static final Comparator<String> BINARY = TextOrder::compare;

    /** As SQLite's NOCASE collation: ASCII letters folded, then code point order. */
    static final Comparator<String> NOCASE = (a, b) -> compare(asciiLower(a), asciiLower(b));

    private static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    static String asciiLower(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c + 32));
            }
        }
        return out == null ? s : out.toString();
    }
}
