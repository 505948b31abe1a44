package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
