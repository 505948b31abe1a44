package io.dmarclens.ingest.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxSplitterTest {
    private static List<String> split(String mbox, long max) throws Exception {
        List<String> messages = new ArrayList<>();
        try (MboxSplitter splitter = new MboxSplitter(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.UTF_8)), max)) {
            byte[] m;
            while ((m = splitter.next()) != null) {
                messages.add(splitter.lastWasTruncated() ? "TRUNCATED" : new String(m, StandardCharsets.UTF_8));
            }
        }
        return messages;
    }

    @Test
    void splitsOnFromLinesAndUndoesQuoting() throws Exception {
        String mbox = "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n"
                + "Subject: one\n\nbody\n>From here on\nFrom the start of a sentence, not a separator\n\n"
                + "From noreply-dmarc-support@google.com Mon Jan  2 00:00:00 2026\r\n"
                + "Subject: two\r\n\r\nsecond\r\n\r\n"
                + "From - Tue Jan  3 10:11:12 2026\n"
                + "Subject: three\n\nthird\n";
        List<String> messages = split(mbox, 1 << 20);
        assertEquals(3, messages.size());
        assertEquals("Subject: one\n\nbody\nFrom here on\nFrom the start of a sentence, not a separator\n",
                messages.get(0));
        assertEquals("Subject: two\r\n\r\nsecond\r\n", messages.get(1));
        assertEquals("Subject: three\n\nthird\n", messages.get(2));
    }

    @Test
    void oversizedMessagesAreFlaggedAndTheNextOneIsStillRead() throws Exception {
        String mbox = "From a@b Mon Jan  2 00:00:00 2026\n" + "X: " + "y".repeat(500) + "\n\n"
                + "From a@b Mon Jan  2 00:00:01 2026\nSubject: small\n";
        List<String> messages = split(mbox, 100);
        assertEquals(List.of("TRUNCATED", "Subject: small\n"), messages);
    }

    @Test
    void recognisesAnMboxByItsFirstLine() {
        byte[] mbox = "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nX: y\n".getBytes(StandardCharsets.US_ASCII);
        byte[] eml = "From: someone@example.com\nX: y\n".getBytes(StandardCharsets.US_ASCII);
        assertTrue(MboxSplitter.looksLikeMbox(mbox, mbox.length));
        assertFalse(MboxSplitter.looksLikeMbox(eml, eml.length));
    }

    @Test
    void anEmptyFileHasNoMessages() throws Exception {
        try (MboxSplitter splitter = new MboxSplitter(new ByteArrayInputStream(new byte[0]), 100)) {
            assertNull(splitter.next());
        }
    }
}
