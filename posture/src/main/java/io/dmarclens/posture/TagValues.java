package io.dmarclens.posture;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code tag=value; tag=value} record (DMARC, DKIM key, TLS-RPT, MTA-STS) into its tags in
 * order, keeping duplicates and malformed pieces so that the caller can report them.
 */
final class TagValues {
    private TagValues() {
    }

    /** One piece of a tag list: a name and value, or a piece without '=' (name null). */
    record Tag(String name, String value, String raw) {
    }

    static List<Tag> split(String record) {
        List<Tag> tags = new ArrayList<>();
        for (String piece : record.split(";", -1)) {
            String trimmed = piece.strip();
            if (trimmed.isEmpty()) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            if (eq < 0) {
                tags.add(new Tag(null, null, trimmed));
            } else {
                tags.add(new Tag(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip(), trimmed));
            }
        }
        return tags;
    }
}
