package io.dmarclens.parser.failure;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.util.Objects;

/**
 * Reads failure (ruf) reports: ARF messages (RFC 5965, 6591, 9991) and plain-text DMARC failure
 * notices that carry no {@code message/feedback-report} part.
 */
public final class FailureReportParser {
    private final ParserLimits limits;

    public FailureReportParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** A whole RFC 5322 message that is an ARF report (multipart/report; report-type=feedback-report, or holding a message/feedback-report part). */
    public FailureReport parseArf(ReportSource source, byte[] wholeMessage) throws ReportParseException {
        throw new ReportParseException(source, "ARF parsing is not implemented yet");
    }

    /** True when a mail without report attachments reads like a plain-text DMARC failure notice (Exim, cPanel, Netease...). */
    public static boolean looksLikeFailureNotice(String subject, String text) {
        return false;
    }

    public FailureReport parsePlainTextNotice(ReportSource source, byte[] wholeMessage) throws ReportParseException {
        throw new ReportParseException(source, "plain-text failure notices are not implemented yet");
    }
}
