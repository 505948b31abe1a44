package io.dmarclens.parser.tlsrpt;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.InputStream;
import java.util.Objects;

/** Reads SMTP TLS reports (RFC 8460 JSON, already decompressed). */
public final class TlsReportParser {
    private final ParserLimits limits;

    public TlsReportParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** RFC 8460 JSON (already decompressed). */
    public TlsReport parse(ReportSource source, InputStream json) throws ReportParseException {
        throw new ReportParseException(source, "TLS-RPT parsing is not implemented yet");
    }
}
