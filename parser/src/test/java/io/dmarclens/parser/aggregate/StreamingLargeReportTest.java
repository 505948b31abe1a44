package io.dmarclens.parser.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.ParseWarning;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 200,000-record document, generated on the fly (never held in memory), is streamed to a handler
 * that keeps nothing: every record arrives, in order, with its count.
 */
class StreamingLargeReportTest {
    private static final int RECORDS = 200_000;

    /** Produces the document piece by piece; record i has count (i % 7) + 1. */
    private static final class GeneratedReport extends InputStream {
        private int next = -1;
        private byte[] chunk = new byte[0];
        private int pos;

        private byte[] piece(int i) {
            if (i < 0) {
                return (AggregateXmlParserTest.feedback("").replace("</feedback>", "")
                        + AggregateXmlParserTest.METADATA + AggregateXmlParserTest.POLICY).getBytes(StandardCharsets.UTF_8);
            }
            if (i == RECORDS) {
                return "</feedback>\n".getBytes(StandardCharsets.UTF_8);
            }
            String ip = (i % 3 == 0) ? "2001:db8::" + Integer.toHexString(i & 0xffff) : "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            return ("\n  " + AggregateXmlParserTest.record(ip, (i % 7) + 1)).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            while (pos >= chunk.length) {
                if (next > RECORDS) {
                    return -1;
                }
                chunk = piece(next++);
                pos = 0;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static final class CountingHandler implements ReportHandler {
        long begun;
        long records;
        long messages;
        long outOfOrder;
        List<ParseWarning> warnings;

        @Override
        public void beginAggregate(AggregateHeader header) {
            begun++;
        }

        @Override
        public void record(AggregateRecord record) {
            if (record.index() != records) {
                outOfOrder++;
            }
            records++;
            messages += record.count();
        }

        @Override
        public void endAggregate(List<ParseWarning> w) {
            warnings = w;
        }

        @Override
        public void endPartialAggregate(List<ParseWarning> w, io.dmarclens.parser.Truncation truncation) {
            throw new AssertionError("partial: " + truncation);
        }

        @Override
        public void failure(FailureReport report) {
        }

        @Override
        public void tls(TlsReport report) {
        }
    }

    @Test
    void streamsTwoHundredThousandRecords() throws Exception {
        CountingHandler handler = new CountingHandler();
        new AggregateXmlParser(ParserLimits.DEFAULT).parse(ReportSource.of("generated.xml"), GeneratedReport::new, handler);
        long expectedMessages = 0;
        for (int i = 0; i < RECORDS; i++) {
            expectedMessages += (i % 7) + 1;
        }
        assertEquals(1, handler.begun);
        assertEquals(RECORDS, handler.records);
        assertEquals(0, handler.outOfOrder);
        assertEquals(expectedMessages, handler.messages);
        assertTrue(handler.warnings.isEmpty(), String.valueOf(handler.warnings));
    }
}
