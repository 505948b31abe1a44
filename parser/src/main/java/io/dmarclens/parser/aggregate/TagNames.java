package io.dmarclens.parser.aggregate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        private final int hash;
        /** The names that followed this one's start tag and end tag last time (per document: not shared). */
        Name afterStart;
        Name afterEnd;
        /** The first and second eight bytes, zero past the end: most names are compared in one or two reads. */
        private final long head;
        private final long tail;

        private Name(byte[] bytes, int colon, int hash) {
            this.bytes = bytes;
            this.hash = hash;
            byte[] padded = Arrays.copyOf(bytes, Math.max(16, bytes.length));
            this.head = (long) LONGS.get(padded, 0);
            this.tail = (long) LONGS.get(padded, 8);
            this.prefixed = new String(bytes, StandardCharsets.ISO_8859_1);
            this.prefix = colon < 0 ? "" : prefixed.substring(0, colon);
            String l = colon < 0 ? prefixed : prefixed.substring(colon + 1);
            this.local = KNOWN.getOrDefault(l, l);
        }

        /**
         * True when {@code b[from..from+length)} holds this name. {@code b} must have at least
         * {@link #SLACK} readable bytes past {@code from + length}.
         */
        boolean is(byte[] b, int from, int length) {
            if (bytes.length != length) {
                return false;
            }
            if (length <= 8) {
                return (((long) LONGS.get(b, from) ^ head) & mask(length)) == 0;
            }
            if ((long) LONGS.get(b, from) != head) {
                return false;
            }
            if (length <= 16) {
                return (((long) LONGS.get(b, from + 8) ^ tail) & mask(length - 8)) == 0;
            }
            return Arrays.equals(bytes, 8, length, b, from + 8, from + length);
        }

        private static long mask(int bytes) {
            return bytes == 8 ? -1L : (1L << (bytes * 8)) - 1;
        }
    }

    /**
     * The element names of aggregate reports, as the string constants the readers switch on: a name
     * read is replaced by its constant, so that comparing them is one identity check.
     */
    private static final Map<String, String> KNOWN = Stream.of("feedback", "version", "report_metadata", "org_name",
            "email", "extra_contact_info", "report_id", "date_range", "begin", "end", "error", "generator",
            "policy_published", "domain", "adkim", "aspf", "p", "sp", "np", "pct", "fo", "testing", "discovery_method",
            "record", "row", "source_ip", "count", "policy_evaluated", "disposition", "dkim", "spf", "reason", "type",
            "comment", "identifiers", "identities", "header_from", "envelope_from", "envelope_to", "auth_results",
            "selector", "result", "human_result", "scope", "extension")
            .collect(Collectors.toUnmodifiableMap(n -> n, n -> n));

    /** Bytes a window must hold past its end for {@link Name#is}, which reads eight at a time. */
    static final int SLACK = 16;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final Name[] slots = new Name[SLOTS];
    private int size;

    /**
     * The name of {@code length} ASCII bytes at {@code from}, with its colon at {@code colon} (or -1)
     * and any hash of its bytes.
     */
    Name of(byte[] b, int from, int length, int colon, int h) {
        int slot = (h ^ (h >>> 10)) & (SLOTS - 1);
        for (Name n = slots[slot]; n != null; n = slots[slot]) {
            if (n.hash == h && n.is(b, from, length)) {
                return n;
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        Name made = new Name(Arrays.copyOfRange(b, from, from + length), colon, h);
        if (size < MAX_NAMES) {
            slots[slot] = made;
            size++;
        }
        return made;
    }
}
