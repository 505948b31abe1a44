package io.dmarclens.opensearch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The store's long ids, derived from what they name rather than counted, so that two processes storing
 * the same report make the same documents (and so the same report twice is one copy): 63 bits of the
 * SHA-256 of the parts, never 0 nor negative.
 */
final class DocIds {
    /** Only ever cloned, never updated. */
    private static final MessageDigest UNUSED = newSha256();
    private DocIds() {
    }

    /** The id of the parts joined with a separator that text from reports cannot contain unescaped. */
    static long of(String kind, Object... parts) {
        MessageDigest md = sha256();
        md.update(kind.getBytes(StandardCharsets.UTF_8));
        for (Object p : parts) {
            md.update((byte) 0);
            md.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        }
        return positive(md.digest());
    }

    /** The hex SHA-256 of the parts, for keyword ids (identity documents). */
    static String hex(String kind, Object... parts) {
        MessageDigest md = sha256();
        md.update(kind.getBytes(StandardCharsets.UTF_8));
        for (Object p : parts) {
            md.update((byte) 0);
            md.update(String.valueOf(p).getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The id of a raw source: 63 bits of its content's SHA-256 (hex). */
    static long ofSha256(String sha256Hex) {
        return positive(HexFormat.of().parseHex(sha256Hex.substring(0, 16)));
    }

    private static long positive(byte[] digest) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (digest[i] & 0xff);
        }
        v &= Long.MAX_VALUE;
        return v == 0 ? 1 : v;
    }

    private static MessageDigest sha256() {
        // A copy of a digest never updated: looking the algorithm up among the providers for every id (two per
        // record at import) cost more than the digest.
        try {
            return (MessageDigest) UNUSED.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
