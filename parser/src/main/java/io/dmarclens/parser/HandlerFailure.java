package io.dmarclens.parser;

/**
 * A {@link ReportHandler}'s own failure (its store could not take a report now), thrown from a handler
 * callback to stop the parse. The parser lets it through untouched: it is not the input's fault, so it must
 * not become a {@link ReportParseException}, which would quarantine an input that is fine.
 */
public class HandlerFailure extends RuntimeException {
    public HandlerFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
