package io.dmarclens.ingest.inbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Message ids: the acceptance time then random hex, e.g. {@code 20261129T205600123Z-1a2b3c4d5e6f},
 * so that file names sort in arrival order and an id typed by a user can be checked before it
 * becomes part of a path.
 */
final class InboxIds {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern VALID = Pattern.compile("[0-9]{8}T[0-9]{9}Z-[0-9a-f]{12}");

    private InboxIds() {
    }

    static String next(Instant now) {
        byte[] random = new byte[6];
        ThreadLocalRandom.current().nextBytes(random);
        return TIME.format(now) + "-" + HexFormat.of().formatHex(random);
    }

    static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
