package io.dmarclens.parser;

/** A configured safety cap (decompressed size, zip members, nesting, XML depth...) was hit. */
public class LimitExceededException extends ReportParseException {
    public LimitExceededException(ReportSource source, String message) {
        super(source, message);
    }
}
