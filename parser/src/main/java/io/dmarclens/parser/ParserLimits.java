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
 */
public record ParserLimits(long maxDecompressedBytes, int maxZipMembers, int maxNestingDepth,
                           int maxXmlDepth, int maxTextLength) {

    public static final ParserLimits DEFAULT = new ParserLimits(512L << 20, 1_000, 8, 64, 64 * 1024);

    public ParserLimits withMaxDecompressedBytes(long bytes) {
        return new ParserLimits(bytes, maxZipMembers, maxNestingDepth, maxXmlDepth, maxTextLength);
    }
}
