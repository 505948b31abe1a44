package io.dmarclens.store.ingestlog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Message ids: the acceptance time then random hex, e.g. {@code 20261129T205600123Z-1a2b3c4d5e6f},
 * so that file names sort in arrival order and an id typed by a user can be checked before it
 * becomes part of a path. The inbox names its files with them and the ingest log keys its entries by them.
 */
public final class InboxIds {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{12}");

    private InboxIds() {
    }

    /** A new id for a message accepted (or refused) at {@code now}. */
    public static String next(Instant now) {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return TIME.format(now) + "-" + HexFormat.of().formatHex(random);
    }

    /** True for a well-formed id (one that may become part of a file name). */
    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
