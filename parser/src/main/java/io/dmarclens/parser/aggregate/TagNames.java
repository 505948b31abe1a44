package io.dmarclens.parser.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The element and attribute names of one document, looked up by their bytes so that a name met a
 * million times becomes a String once. Bounded: past {@link #MAX_NAMES} distinct names a name is
 * made afresh each time instead of kept.
 */
final class TagNames {
    static final int MAX_NAMES = 512;
    private static final int SLOTS = 1024;

    /** One name as written: its bytes, and the strings the readers ask for. */
    static final class Name {
        final byte[] bytes;
        final String prefixed;
        final String prefix;
        final String local;

        private Name(byte[] bytes, int colon) {
            this.bytes = bytes;
            this.prefixed = new String(bytes, StandardCharsets.ISO_8859_1);
            this.prefix = colon < 0 ? "" : prefixed.substring(0, colon);
            this.local = colon < 0 ? prefixed : prefixed.substring(colon + 1);
        }

        boolean is(byte[] b, int from, int length) {
            return bytes.length == length && Arrays.equals(bytes, 0, length, b, from, from + length);
        }
    }

    private final Name[] slots = new Name[SLOTS];
    private int size;

    /** The name of {@code length} ASCII bytes at {@code from}, with its colon at {@code colon} (or -1). */
    Name of(byte[] b, int from, int length, int colon) {
        int h = 0;
        for (int i = from; i < from + length; i++) {
            h = 31 * h + b[i];
        }
        int slot = (h ^ (h >>> 10)) & (SLOTS - 1);
        for (Name n = slots[slot]; n != null; n = slots[slot]) {
            if (n.is(b, from, length)) {
                return n;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        Name made = new Name(Arrays.copyOfRange(b, from, from + length), colon);
        if (size < MAX_NAMES) {
            slots[slot] = made;
            size++;
        }
        return made;
    }
}
