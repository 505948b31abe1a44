package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.Quarantine;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.MessageOrigin;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IMAP mail over the size limit, as the poller hands it in (its header kept in quarantine, its real
 * size and a reason naming subject and sender): the Ingest page lists it like unreadable mail, and a
 * retry answers with the reason instead of running the header through the pipeline.
 */
class IngestTooLargeMailTest {
    @TempDir
    Path dir;

    @Test
    void theIngestPageShowsATooLargeMailWithItsSubjectSenderAndSize() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            Map<String, String> details = new LinkedHashMap<>(
                    MessageOrigin.imap("reports@example.com", "INBOX", 1700000000L, 646).details());
            details.put(Quarantine.UNREAD, "7345000 bytes");
            String reason = "too large: 7345000 bytes, more than max_message_size 1048576; it is in the archive folder"
                    + " for invalid mail and is read again from there once max_message_size is raised"
                    + " (subject \"Report Domain: example.com Submitter: google.com\", from noreply-dmarc@google.com)";
            IngestLogEntry entry = app.ingestService().intake().quarantineUnread(
                    new MessageOrigin(MessageOrigin.Channel.IMAP, details),
                    "Subject: Report Domain: example.com\r\n\r\nnot read\r\n".getBytes(StandardCharsets.US_ASCII),
                    7_345_000, reason);

            WebClient session = app.loggedIn();
            HttpResponse<String> page = session.get("/ingest");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains(entry.id()), "listed in the quarantine");
            assertTrue(page.body().contains("Report Domain: example.com Submitter: google.com"), "the subject");
            assertTrue(page.body().contains("noreply-dmarc@google.com"), "the sender");
            assertTrue(page.body().contains("7,345,000") || page.body().contains("7345000"), "the size");
            assertTrue(page.body().contains("uid=646"), "where it is");

            HttpResponse<String> retry = session.postForm("/api/ingest/quarantine/" + entry.id() + "/retry",
                    Map.of("_csrf", session.csrf()));
            assertEquals(200, retry.statusCode(), retry.body());
            assertTrue(retry.body().contains("Still quarantined: too large: 7345000 bytes"), retry.body());
        }
    }
}
