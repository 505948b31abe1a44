package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.ingest.inbox.InboxLimits;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ready} answers 503 with the reason while received mail cannot be processed, over real HTTP. */
class ReadinessTest {
    @TempDir
    Path dir;

    @Test
    void readyWhileTheInboxCanBeProcessedAndNotOtherwise() throws Exception {
        try (TestApp app = TestApp.withInbox(dir)) {
            WebClient anon = app.client();
            HttpResponse<String> ready = anon.get("/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("{\"status\":\"ready\"}", ready.body());

            // The quarantine directory gone (a disk unmounted, a clean-up gone wrong): nothing can be quarantined.
            Path quarantine = dir.resolve("data/quarantine");
            Files.delete(quarantine);
            HttpResponse<String> notReady = anon.get("/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("\"status\":\"not ready\""), notReady.body());
            assertTrue(notReady.body().contains("the directory quarantine in the data directory is not writable"),
                    notReady.body());
            assertEquals(200, anon.get("/health").statusCode(), "the process itself still answers");

            Files.createDirectory(quarantine);
            assertEquals(200, anon.get("/ready").statusCode());
        }
    }

    @Test
    void notReadyOnceTheFreeDiskFallsBelowTheThreshold() throws Exception {
        long free = java.nio.file.Files.getFileStore(dir).getUsableSpace();
        InboxLimits d = InboxLimits.defaults();
        // Thresholds on either side of what the disk has now (1 GiB of slack for other writers meanwhile).
        try (TestApp app = TestApp.withInbox(dir.resolve("below"), new InboxLimits(Math.max(0, free - (1L << 30)),
                d.quarantineMaxBytes(), d.quarantineMaxAge(), d.junkPerSender()))) {
            assertEquals(200, app.client().get("/ready").statusCode());
        }
        try (TestApp app = TestApp.withInbox(dir.resolve("above"), new InboxLimits(free + (1L << 30),
                d.quarantineMaxBytes(), d.quarantineMaxAge(), d.junkPerSender()))) {
            HttpResponse<String> notReady = app.client().get("/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("below inbox.min_free_disk"), notReady.body());
            assertEquals(200, app.client().get("/health").statusCode());
        }
    }

    @Test
    void notReadyWhenTheStoreCannotAnswer() throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            assertEquals(200, app.client().get("/ready").statusCode());
            app.store.close();
            HttpResponse<String> notReady = app.client().get("/ready");
            assertEquals(503, notReady.statusCode(), notReady.body());
            assertTrue(notReady.body().contains("the store cannot be read"), notReady.body());
        }
    }
}
