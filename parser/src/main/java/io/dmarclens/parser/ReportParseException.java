package io.dmarclens.parser;

/**
 * The input holds no readable report. The message says what is wrong and where, in words a user can
 * act on (e.g. "zero-byte input", "gzip stream truncated after 1,204 bytes",
 * "XML is not a DMARC report: root element &lt;html&gt;").
 */
public class ReportParseException extends Exception {
    private final ReportSource source;

    public ReportParseException(ReportSource source, String message) {
        super(message);
        this.source = source;
    }

    public ReportParseException(ReportSource source, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
    }

    public ReportSource source() {
        return source;
    }
}
