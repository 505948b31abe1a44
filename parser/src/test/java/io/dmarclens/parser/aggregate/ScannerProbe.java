package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.EventLog;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.xml.stream.XMLStreamException;

/** Reads a document with the byte scanner alone, to tell whether it stays on the fast path. */
final class ScannerProbe {
    /** Why the scanner handed the document to Woodstox (null when it read it to the end) and what it delivered. */
    record Outcome(String bailout, EventLog delivered) {
        long records() {
            return delivered.events().stream().filter(e -> e instanceof AggregateRecord).count();
        }
    }

    private ScannerProbe() {
    }

    static Outcome probe(byte[] xml, ParserLimits limits) {
        EventLog log = new EventLog();
        FeedbackReader reader = new FeedbackReader(ReportSource.of("probe.xml"), log, limits, List.of());
        try {
            reader.read(w -> new Utf8Cursor(new ByteArrayInputStream(xml), limits, w));
            return new Outcome(null, log);
        } catch (ScannerBailout e) {
            return new Outcome(e.getMessage(), log);
        } catch (XMLStreamException | ReportParseException e) {
            return new Outcome("not a bailout but " + e, log);
        }
    }

    /** Why the scanner hands {@code xml} to Woodstox, or null when it reads it to the end itself. */
    static String bailout(byte[] xml, ParserLimits limits) {
        return probe(xml, limits).bailout();
    }

    /** What the handler is given by {@code parser}, the error it ends with included. */
    static EventLog read(AggregateXmlParser parser, byte[] xml) {
        EventLog log = new EventLog();
        try {
            parser.parse(ReportSource.of("test.xml"), () -> new ByteArrayInputStream(xml), log);
        } catch (ReportParseException | RuntimeException e) {
            log.failed(e);
        }
        return log;
    }
}
