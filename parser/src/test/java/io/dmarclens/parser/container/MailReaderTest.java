package io.dmarclens.parser.container;

import io.dmarclens.parser.ReportSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The byte scan that spares most mail the MIME pass looking for failure-report markers. */
class MailReaderTest {
    private static final ReportSource SOURCE = new ReportSource("m.eml", "");

    @Test
    void findsTheWordAtEveryOffsetAcrossTheReadBoundaryInAnyCase() throws Exception {
        byte[] word = "FeedBack".getBytes(StandardCharsets.US_ASCII);
        for (int at = 16 * 1024 - 12; at <= 16 * 1024 + 4; at++) {
            byte[] mail = new byte[40_000];
            Arrays.fill(mail, (byte) 'x');
            System.arraycopy(word, 0, mail, at, word.length);
            assertTrue(MailReader.mentionsFeedback(SOURCE, Payload.ofBytes(mail, mail.length)), "at " + at);
        }
        byte[] end = ("x".repeat(100) + "feedback").getBytes(StandardCharsets.US_ASCII);
        assertTrue(MailReader.mentionsFeedback(SOURCE, Payload.ofBytes(end, end.length)), "at the very end");
    }

    @Test
    void mailWithoutTheWordIsNotScannedFurther() throws Exception {
        byte[] mail = ("Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: application/zip\n\n"
                + "UEsDBBQACAgIAFeedbac".replace("Feedbac", "Feedba") + "\n--b--\n").getBytes(StandardCharsets.US_ASCII);
        assertFalse(MailReader.mentionsFeedback(SOURCE, Payload.ofBytes(mail, mail.length)));
        byte[] almost = "feedbac".getBytes(StandardCharsets.US_ASCII);
        assertFalse(MailReader.mentionsFeedback(SOURCE, Payload.ofBytes(almost, almost.length)));
    }
}
