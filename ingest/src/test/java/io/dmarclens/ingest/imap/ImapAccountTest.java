package io.dmarclens.ingest.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The defaults of an IMAP account that the configuration leaves out. */
class ImapAccountTest {
    private static ImapAccount unnamed(String user, String host) {
        return new ImapAccount(null, host, 993, ImapAccount.Security.IMAPS, user, "secret", null, null,
                Duration.ofMinutes(1), true, 100, ImapAccount.AfterImport.MOVE, null, 1 << 20);
    }

    @Test
    void anUnnamedAccountIsNamedByItsLoginWhenThatIsAnAddressElseUserAtHost() {
        assertEquals("dmarc@localhost", unnamed("dmarc@localhost", "localhost").name());
        assertEquals("dmarc@example.com", unnamed("dmarc@example.com", "imap.example.com").name());
        assertEquals("dmarc@imap.example.com", unnamed("dmarc", "imap.example.com").name());
    }

    @Test
    void folderNamesFollowTheServersSeparatorAndPersonalNamespace() {
        assertEquals("Archive.Aggregate", new FolderNames('.', "").resolve("Archive/Aggregate"));
        assertEquals("Archive/Aggregate", new FolderNames('/', "").resolve("Archive/Aggregate"));
        // Courier puts every personal folder under "INBOX."; INBOX itself stays as it is.
        assertEquals("INBOX.Archive.Aggregate", new FolderNames('.', "INBOX").resolve("Archive/Aggregate"));
        assertEquals("INBOX", new FolderNames('.', "INBOX").resolve("INBOX"));
        assertEquals("INBOX.Reports", new FolderNames('.', "INBOX").resolve("INBOX.Reports"));
    }
}
