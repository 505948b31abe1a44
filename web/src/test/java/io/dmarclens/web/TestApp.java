package io.dmarclens.web;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.rules.NewFailingSource;
import io.dmarclens.alerts.rules.SpoofingWave;
import io.dmarclens.alerts.state.AlertEngine;
import io.dmarclens.index.alerts.SqliteAlerts;
import io.dmarclens.posture.PostureService;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.ingest.IngestService;
import io.dmarclens.ingest.IngestSettings;
import io.dmarclens.ingest.inbox.InboxLimits;
import io.dmarclens.store.Store;
import io.dmarclens.web.auth.UserStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A running dashboard on a free loopback port over a real store and user database in a temp dir. */
public final class TestApp implements AutoCloseable {
    public static final String USER = "alice";
    public static final String PASSWORD = "correct horse battery";
    /** A second user, without the permission to reveal failure reports' addresses. */
    public static final String OTHER_USER = "bob";

    public final Store store;
    public final UserStore users;
    public final WebApp app;
    public final IngestConsole ingest;

    private final IngestService ingestService;
    private final SqliteAlerts alerts;

    /** What the sample reports put in, when the app was started {@link #withSamples}. */
    public SampleStore samples;

    private TestApp(Path dir, boolean withInbox) throws Exception {
        this(dir, withInbox, false);
    }

    private TestApp(Path dir, boolean withInbox, boolean fromSamples) throws Exception {
        this(dir, withInbox, fromSamples, WebSettings.defaults(),
                fromSamples ? SAMPLES_CLOCK : TestData.CLOCK, null);
    }

    /** Opens the store a test app runs on: the embedded one in the data directory, or another (OpenSearch). */
    @FunctionalInterface
    public interface StoreOpener {
        Store open(Path dataDir, Clock clock);
    }

    private TestApp(Path dir, boolean withInbox, boolean fromSamples, WebSettings settings, Clock dashboard,
                    InboxLimits limits) throws Exception {
        this(dir, withInbox, fromSamples, settings, dashboard, limits, EmbeddedStore::open);
    }

    private TestApp(Path dir, boolean withInbox, boolean fromSamples, WebSettings settings, Clock dashboard,
                    InboxLimits limits, StoreOpener opener) throws Exception {
        // The whole app lives on the day its data is about: what it imports is stamped that day, whatever the
        // real date. The dashboard's clock stands still (sessions never expire) unless a test passes its own;
        // the store's and the inbox's run from the same instant, so that arrival order stays the order of arrival.
        Clock clock = runningFrom(dashboard.instant());
        store = opener.open(dir.resolve("data"), clock);
        if (fromSamples) {
            samples = SampleStore.fill(store);
        } else {
            TestData.fill(store);
        }
        store.awaitIndexed();
        // The real files of a data directory: web.db with its audit log, and the two-factor key beside it.
        users = new UserStore(SqliteAccounts.open(dir.resolve("data")),
                io.dmarclens.index.audit.SqliteAuditLog.open(dir.resolve("data")),
                io.dmarclens.web.auth.SecretBox.open(dir.resolve("data")), 4, clock);
        users.addOrReplace(USER, PASSWORD.toCharArray());
        IngestSettings inbox = IngestSettings.inboxOnly(1);
        if (limits != null) {
            inbox = new IngestSettings(inbox.workers(), inbox.smtp(), inbox.imap(), limits);
        }
        ingestService = withInbox ? IngestService.start(dir.resolve("data"), SqliteIngestLog.open(dir.resolve("data"), clock),
                inbox, new XmlReportProcessor(store), clock) : null;
        this.ingest = withInbox ? new IngestServiceConsole(ingestService, 1 << 20) : new EmptyIngest();
        users.addOrReplace(OTHER_USER, PASSWORD.toCharArray());
        // USER is an admin (as every user added without a role), OTHER_USER a viewer.
        users.setRole(OTHER_USER, io.dmarclens.store.users.Role.VIEWER);
        alerts = SqliteAlerts.open(dir.resolve("data"));
        app = new WebApp(store, this.ingest, users, settings, dashboard, PostureService.offline(store, dashboard),
                UnverifiedReports.INCLUDED, alerts(store, alerts, dashboard)).start("127.0.0.1", 0);
    }

    /**
     * The Alerts page's console: the real rules, with thresholds the test data's few messages reach, evaluated
     * once over the store as the schedule would.
     */
    public static AlertsConsole alerts(Store store, SqliteAlerts file, Clock clock) {
        AlertSettings d = AlertSettings.defaults();
        AlertSettings settings = new AlertSettings(true, d.evaluateEvery(), 2, 14, 3,
                new NewFailingSource.Settings(1, 60, Duration.ofHours(12)), d.senderBroke(), d.passRateDrop(),
                new SpoofingWave.Settings(1, Duration.ofHours(12)), d.reporterSilent(), d.policyChanged(),
                d.postureRegression(), d.tlsFailures(), d.quarantineGrowing(), d.inboxBacklog(), d.imapFailing());
        AlertEngine engine = new AlertEngine(store, file.log(), settings.rules(null, IngestHealth.none()), settings,
                false, clock);
        engine.evaluateAll();
        return new AlertsConsole(file.log(), file.outbox(), engine.rules(), settings.evaluateEvery());
    }

    /** With the test data, no inbox, and the given settings and dashboard clock (login limits, proxies, sessions). */
    public static TestApp with(Path dir, WebSettings settings, Clock dashboard) throws Exception {
        return new TestApp(dir, false, false, settings, dashboard, null);
    }

    /** A clock that runs at the pace of real time, starting now at {@code start}. */
    public static Clock runningFrom(Instant start) {
        Clock real = Clock.systemUTC();
        return Clock.offset(real, Duration.between(real.instant(), start));
    }

    public static TestApp start(Path dir) throws Exception {
        return new TestApp(dir, false);
    }

    /** With a real durable inbox, ingest log and quarantine whose worker parses aggregate XML into the store. */
    public static TestApp withInbox(Path dir) throws Exception {
        return new TestApp(dir, true);
    }

    /** {@link #withInbox(Path)} on the store {@code opener} opens (the browser test on OpenSearch, in app). */
    public static TestApp withInbox(Path dir, StoreOpener opener) throws Exception {
        return new TestApp(dir, true, false, WebSettings.defaults(),
                TestData.CLOCK, null, opener);
    }

    /** With a real inbox bounded by {@code limits} (free disk, junk per sender, quarantine size and age). */
    public static TestApp withInbox(Path dir, InboxLimits limits) throws Exception {
        return new TestApp(dir, true, false, WebSettings.defaults(), TestData.CLOCK, limits);
    }

    /** The sample reports cover November 2026; "today" for them is the last day of it. */
    public static final java.time.Clock SAMPLES_CLOCK = java.time.Clock.fixed(
            java.time.Instant.parse("2026-11-30T12:00:00Z"), java.time.ZoneOffset.UTC);

    /** A store filled from sample-reports/, with a real inbox. */
    public static TestApp withSamples(Path dir) throws Exception {
        return new TestApp(dir, true, true);
    }

    public IngestService ingestService() {
        return ingestService;
    }

    public WebClient client() {
        return new WebClient(app.port());
    }

    public WebClient loggedIn() throws Exception {
        return loggedIn(USER);
    }

    public WebClient loggedIn(String user) throws Exception {
        WebClient c = client();
        if (c.login(user, PASSWORD).statusCode() != 303) {
            throw new IllegalStateException("login failed");
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        app.stop();
        if (ingestService != null) {
            ingestService.close();
        }
        users.close();
        alerts.close();
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
        public Optional<String> retry(String id) {
            return Optional.empty();
        }

        @Override
        public String accept(String user, String fileName, InputStream data) throws IOException {
            throw new IOException("no inbox in this test");
        }
    }
}
