package io.dmarclens.web;

import io.dmarclens.index.Store;
import io.dmarclens.web.auth.UserStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A running dashboard on a free loopback port over a real store and user database in a temp dir. */
public final class TestApp implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "correct horse battery";

    public final Store store;
    public final UserStore users;
    public final WebApp app;
    public final IngestConsole ingest;

    private TestApp(Path dir, IngestConsole ingest) throws Exception {
        store = Store.open(dir.resolve("data"));
        TestData.fill(store);
        store.awaitIndexed();
        users = new UserStore(dir.resolve("data/web.db"), 4);
        users.addOrReplace(USER, PASSWORD.toCharArray());
        this.ingest = ingest == null ? new EmptyIngest() : ingest;
        app = new WebApp(store, this.ingest, users, WebSettings.defaults(), TestData.CLOCK).start("127.0.0.1", 0);
    }

    public static TestApp start(Path dir) throws Exception {
        return new TestApp(dir, null);
    }

    public static TestApp start(Path dir, IngestConsole ingest) throws Exception {
        return new TestApp(dir, ingest);
    }

    public WebClient client() {
        return new WebClient(app.port());
    }

    public WebClient loggedIn() throws Exception {
        WebClient c = client();
        if (c.login(USER, PASSWORD).statusCode() != 303) {
            throw new IllegalStateException("login failed");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        app.stop();
        users.close();
        store.close();
    }

    /** An ingest side with nothing in it, for tests that are not about ingest. */
    static final class EmptyIngest implements IngestConsole {
        @Override
        public List<LogEntry> log(int offset, int limit) {
            return List.of();
        }

        @Override
        public long logSize() {
            return 0;
        }

        @Override
        public List<Quarantined> quarantine() {
            return new ArrayList<>();
        }

        @Override
        public Optional<InputStream> openQuarantined(String id) {
            return Optional.empty();
        }

        @Override
        public String retry(String id) throws IOException {
            throw new java.nio.file.NoSuchFileException(id);
        }

        @Override
        public String accept(String user, String fileName, InputStream data) throws IOException {
            throw new IOException("no inbox in this test");
        }
    }
}
