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

    @Test
    void lookingAtTheQuarantineCreatesNothingInTheDataDirectory() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        try (IngestLog log = SqliteIngestLog.open(data)) {
            log.accepted(new io.dmarclens.store.ingestlog.InboxMessage("20260302T100000000Z-0123456789ab",
                    java.time.Instant.parse("2026-03-02T10:00:00Z"), MessageOrigin.upload("alice", "x.xml"), 5, "x.xml"));
        }
        List<String> before = tree(data);
        assertEquals(List.of("ingest.db"), before, "only the ingest log: no inbox, no quarantine directory");
        String id = "20260302T100000000Z-0123456789ab";
        Run show = run("quarantine", "show", id, "--data", data.toString());
        assertEquals(0, show.status, show.err);
        assertTrue(show.out.contains("no longer in the quarantine"), show.out);
        assertEquals(0, run("quarantine", "list", "--data", data.toString()).status);
        Run download = run("quarantine", "download", id, "--data", data.toString());
        assertEquals(1, download.status);
        assertTrue(download.err.contains("No quarantined message"), download.err);
        assertEquals(before, tree(data), "show, list and download only look");
    }

    /** The data directory's entries, without SQLite's own -wal and -shm files (they come and go with a connection). */
    private static List<String> tree(Path data) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> !p.equals(data)).map(p -> data.relativize(p).toString())
                    .filter(n -> !n.endsWith("-wal") && !n.endsWith("-shm")).sorted().toList();
        }
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
