package io.dmarclens.app.security;

import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.index.audit.SqliteAuditLog;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.PipelineProcessor;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.users.Role;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.IngestServiceConsole;
import io.dmarclens.web.TestApp;
import io.dmarclens.web.UnverifiedReports;
import io.dmarclens.web.WebApp;
import io.dmarclens.web.WebClient;
import io.dmarclens.web.WebSettings;
import io.dmarclens.web.auth.SecretBox;
import io.dmarclens.web.auth.UserStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * A dashboard as {@code serve} wires it (store, real inbox with ingest log and quarantine, alerts evaluated over
 * the store, users in {@code web.db}) on a free loopback port, over the store {@code opener} opens, filled with
 * {@code inputs} through the import pipeline.
 */
final class ScopeServer implements AutoCloseable {
    static final String PASSWORD = "correct horse battery";

    interface Opener {
        Store open(Path dataDir, Clock clock);
    }

    final Store store;
    final UserStore users;
    private final PipelineSetup pipeline;
    private final IngestService ingest;
    private final SqliteAlerts alerts;
    private final WebApp app;

    ScopeServer(Path dir, Opener opener, List<ScopeWorld.Input> inputs) throws Exception {
        this(dir, opener, inputs, true);
    }

    /** @param withAlerts whether the Alerts page runs (its rules evaluated once over the store at start) */
    ScopeServer(Path dir, Opener opener, List<ScopeWorld.Input> inputs, boolean withAlerts) throws Exception {
        Clock clock = ScopeWorld.CLOCK;
        Path data = dir.resolve("data");
        store = opener.open(data, clock);
        pipeline = PipelineSetup.open(store, new ReportParser()::parse,
                new EnrichmentSettings(true, null, List.of(), null, List.of()), CommitMode.GROUPED, clock);
        for (ScopeWorld.Input in : inputs) {
            pipeline.pipeline().importBytes("file", in.name(), in.content());
        }
        store.flush();
        store.awaitIndexed();
        users = new UserStore(SqliteAccounts.open(data), SqliteAuditLog.open(data), SecretBox.open(data), 4, clock);
        ingest = IngestService.start(data, SqliteIngestLog.open(data, clock), IngestSettings.inboxOnly(1),
                new PipelineProcessor(pipeline.pipeline()), clock);
        IngestConsole console = new IngestServiceConsole(ingest, 1 << 20);
        alerts = SqliteAlerts.open(data);
        app = new WebApp(store, console, users, WebSettings.defaults(), clock, PostureService.offline(store, clock),
                UnverifiedReports.INCLUDED, withAlerts ? TestApp.alerts(store, alerts, clock) : null)
                .start("127.0.0.1", 0);
        this.console = console;
    }

    private final IngestConsole console;

    /** Puts a file through the real inbox (its entry in the ingest log names it). */
    void mailIn(String name, byte[] content) throws Exception {
        console.accept("upload-test", name, new ByteArrayInputStream(content));
    }

    /** Waits until the ingest log has {@code n} entries that are no longer pending. */
    void awaitIngested(int n) throws Exception {
        for (int i = 0; i < 600; i++) {
            List<IngestConsole.LogEntry> log = console.log(0, 100);
            if (log.stream().filter(e -> !e.outcome().equals("pending")).count() >= n) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the inbox did not finish: " + console.log(0, 100));
    }

    void addUser(String name, Role role, String scope) {
        users.addOrReplace(name, PASSWORD.toCharArray());
        users.setRole(name, role);
        users.setScope(name, scope).orElseThrow();
    }

    WebClient client() {
        return new WebClient(app.port());
    }

    WebClient loggedIn(String user) throws Exception {
        WebClient c = client();
        if (c.login(user, PASSWORD).statusCode() != 303) {
            throw new IllegalStateException("login of " + user + " failed");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        app.stop();
        ingest.close();
        pipeline.close();
        users.close();
        alerts.close();
        store.close();
    }
}
