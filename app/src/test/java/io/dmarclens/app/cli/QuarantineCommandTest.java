package io.dmarclens.app.cli;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.AcceptedMessage;
import io.dmarclens.ingest.inbox.DurableInbox;
import io.dmarclens.ingest.inbox.InboxWorkers;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.ingest.inbox.MessageIntake;
import io.dmarclens.store.ingestlog.MessageOrigin;
import io.dmarclens.store.ingestlog.ProcessingResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class QuarantineCommandTest {
    @TempDir
    Path dir;

    @Test
    void listShowAndDownloadAQuarantinedMessage() throws Exception {
        Path data = dir.resolve("data");
        String id;
        DurableInbox inbox = DurableInbox.open(data);
        try (IngestLog log = SqliteIngestLog.open(data)) {
            InboxWorkers workers = new InboxWorkers(inbox, log,
                    (m, f) -> ProcessingResult.invalid("no report found: text/plain only"), 1);
            AcceptedMessage accepted = new MessageIntake(inbox, log, workers).accept(
                    MessageOrigin.smtp("198.51.100.7", "mail.sender.example", "x@sender.example",
                            List.of("dmarc@reports.example.com")), "", "Subject: hi\r\n\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII));
            id = accepted.outcome().get(10, TimeUnit.SECONDS).id();
            workers.stop(Duration.ofSeconds(5));
        }

        Run list = run("quarantine", "list", "--data", data.toString());
        assertEquals(0, list.status);
        assertTrue(list.out.contains(id), list.out);
        assertTrue(list.out.contains("no report found: text/plain only"), list.out);
        // The origin is not cut short (it was cut at 40 characters).
        assertTrue(list.out.contains("smtp peer=198.51.100.7 helo=mail.sender.example mail_from=x@sender.example"
                + " rcpt_to=dmarc@reports.example.com  no report found"), list.out);

        Run show = run("quarantine", "show", id, "--data", data.toString());
        assertEquals(0, show.status);
        assertTrue(show.out.contains("helo:     mail.sender.example"), show.out);
        assertTrue(show.out.contains("no report found"), show.out);

        Path copy = dir.resolve("copy.eml");
        Run download = run("quarantine", "download", id, "-o", copy.toString(), "--data", data.toString());
        assertEquals(0, download.status);
        assertEquals("Subject: hi\r\n\r\nhello\r\n", Files.readString(copy, StandardCharsets.US_ASCII));

        Run unknown = run("quarantine", "show", "20990101T000000000Z-000000000000", "--data", data.toString());
        assertEquals(1, unknown.status);
        Run bad = run("quarantine", "download", "../ingest.db", "--data", data.toString());
        assertTrue(bad.status != 0);
    }

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int status = cl.execute(args);
        return new Run(status, out.toString(), err.toString());
    }
}
