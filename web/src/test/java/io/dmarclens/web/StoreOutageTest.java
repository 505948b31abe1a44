package io.dmarclens.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store that cannot answer (here: closed under the running dashboard) is a failure around the request,
 * not a bug: 503 with Retry-After and a JSON error, no stack trace (docs/architecture.md, "Errors").
 */
class StoreOutageTest {
    @Test
    void aStoreThatCannotAnswerGives503NotAnInternalError(@TempDir Path dir) throws Exception {
        try (TestApp app = TestApp.start(dir)) {
            WebClient c = app.loggedIn();
            assertEquals(200, c.get("/api/overview?range=30").statusCode());
            app.store.close();
            HttpResponse<String> api = c.get("/api/overview?range=30");
            assertEquals(503, api.statusCode(), api.body());
            assertEquals("30", api.headers().firstValue("Retry-After").orElse(""));
            assertTrue(api.body().contains("\"status\":503"), api.body());
            assertFalse(api.body().contains("Exception"), api.body());
            HttpResponse<String> page = c.get("/reports");
            assertEquals(503, page.statusCode());
            assertTrue(page.body().contains("cannot answer right now"), page.body());
        }
    }
}
