package io.dmarclens.parser;

/**
 * Safety caps applied to every input. Everything in a report is written by strangers: hitting a cap
 * is a {@link LimitExceededException}, never an OutOfMemoryError.
 *
 * @param maxDecompressedBytes total bytes produced by all decompression of one input
 * @param maxZipMembers        members read from one zip archive
 * @param maxNestingDepth      containers inside containers (mail in mail in zip ...)
 * @param maxXmlDepth          element nesting depth of one XML document
 * @param maxTextLength        characters of one XML text value or attribute, or one JSON string
 * @param maxMailParts         MIME parts read from the mails of one input, all mails in it together (the
 *                             rest is not read): a report mail has a handful, a hostile one may have
 *                             hundreds of thousands
 */
public record ParserLimits(long maxDecompressedBytes, int maxZipMembers, int maxNestingDepth,
                           int maxXmlDepth, int maxTextLength, int maxMailParts) {

    /** Mail parts read from one input when not said otherwise. */
    public static final int DEFAULT_MAX_MAIL_PARTS = 1_000;

    public static final ParserLimits DEFAULT = new ParserLimits(512L << 20, 1_000, 8, 64, 64 * 1024,
            DEFAULT_MAX_MAIL_PARTS);

    public ParserLimits {
        if (maxMailParts < 1) {
            throw new IllegalArgumentException("maxMailParts must be at least 1, not " + maxMailParts);
        }
    }

    /** With the default {@link #DEFAULT_MAX_MAIL_PARTS}. */
    public ParserLimits(long maxDecompressedBytes, int maxZipMembers, int maxNestingDepth, int maxXmlDepth,
                        int maxTextLength) {
        this(maxDecompressedBytes, maxZipMembers, maxNestingDepth, maxXmlDepth, maxTextLength, DEFAULT_MAX_MAIL_PARTS);
    }

    public ParserLimits withMaxDecompressedBytes(long bytes) {
        return new ParserLimits(bytes, maxZipMembers, maxNestingDepth, maxXmlDepth, maxTextLength, maxMailParts);
    }

    public ParserLimits withMaxMailParts(int parts) {
        return new ParserLimits(maxDecompressedBytes, maxZipMembers, maxNestingDepth, maxXmlDepth, maxTextLength, parts);
    }
}
