package io.dmarclens.ingest.inbox;

import io.dmarclens.store.ingestlog.InboxMessage;
import io.dmarclens.store.ingestlog.MessageOrigin;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpareFilesTest {
    @TempDir
    Path data;

    @Test
    void aProcessedMessagesFilesAreWrittenOverByTheNextMessageWithNothingLeftOfTheOld() throws Exception {
        DurableInbox inbox = DurableInbox.open(data);
        byte[] longer = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        InboxMessage first = inbox.accept(MessageOrigin.file("a"), "a.xml", longer);
        Object firstInode = Files.getAttribute(inbox.pendingData(first), "unix:ino");
        inbox.complete(first);
        assertFalse(Files.exists(inbox.pendingData(first)));
        assertEquals(2, list(data.resolve("inbox/spare")).size(), "the .msg and the .meta kept as spares");

        byte[] shorter = "short report".getBytes(StandardCharsets.UTF_8);
        InboxMessage second = inbox.accept(MessageOrigin.smtp("192.0.2.7", "mx.example", "a@b.example",
                List.of("dmarc@c.example")), "", shorter);
        Path file = inbox.pendingData(second);
        assertArrayEquals(shorter, Files.readAllBytes(file), "no byte of the longer message left");
        assertEquals(shorter.length, second.size());
        Object secondInode = Files.getAttribute(file, "unix:ino");
        Object metaInode = Files.getAttribute(file.resolveSibling(second.id() + ".meta"), "unix:ino");
        assertTrue(firstInode.equals(secondInode) || firstInode.equals(metaInode), "an inode reused, not a new one");
        assertEquals(List.of(), list(data.resolve("inbox/spare")));

        // The reused files read back as the new message, origin included, after a restart.
        List<InboxMessage> recovered = DurableInbox.open(data).recover();
        assertEquals(1, recovered.size());
        assertEquals("mx.example", recovered.get(0).origin().detail("helo"));
    }

    @Test
    void largeFilesAreEmptiedWhenTheyBecomeSpareAndThePoolIsBounded() throws Exception {
        Path dir = data.resolve("spare");
        SpareFiles spares = SpareFiles.open(dir, 3);
        for (int i = 0; i < 5; i++) {
            Path f = Files.write(data.resolve("f" + i), new byte[i == 0 ? 200_000 : 10]);
            spares.recycle(f);
            assertFalse(Files.exists(f));
        }
        assertEquals(3, spares.size());
        assertEquals(3, list(dir).size(), "the rest deleted");
        assertEquals(0, Files.size(dir.resolve("f0")), "a large spare holds no disk space");
        assertEquals(10, Files.size(dir.resolve("f1")));

        SpareFiles reopened = SpareFiles.open(dir, 3);
        assertEquals(3, reopened.size(), "spares survive a restart");
        for (int i = 0; i < 4; i++) {
            Path target = data.resolve("new-" + i);
            try (var ch = reopened.create(target)) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2}));
            }
            assertEquals(2, Files.size(target));
        }
        assertEquals(0, reopened.size());
        assertEquals(List.of(), list(dir));
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
