package io.dmarclens.web;

import io.dmarclens.store.StoreException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.Clocks;
import io.dmarclens.store.Store;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.auth.TwoFactor;
import io.dmarclens.web.pages.AuditRoutes;
import io.dmarclens.web.pages.TwoFactorRoutes;
import io.dmarclens.web.auth.LoginRoutes;
import io.dmarclens.web.auth.LoginThrottle;
import io.dmarclens.web.auth.Sessions;
import io.dmarclens.web.auth.UserStore;
import io.dmarclens.web.metrics.DmarcMetrics;
import io.dmarclens.web.metrics.MetricsEndpoint;
import io.dmarclens.web.pages.AlertsRoutes;
import io.dmarclens.web.pages.DomainsRoutes;
import io.dmarclens.web.pages.FailuresRoutes;
import io.dmarclens.web.pages.RevealPermission;
import io.dmarclens.web.pages.ForwardingRoutes;
import io.dmarclens.web.pages.IngestRoutes;
import io.dmarclens.web.pages.OverviewRoutes;
import io.dmarclens.web.pages.PageSupport;
import io.dmarclens.web.pages.PostureRoutes;
import io.dmarclens.web.pages.ReportersRoutes;
import io.dmarclens.web.pages.ReportsRoutes;
import io.dmarclens.web.pages.SearchRoutes;
import io.dmarclens.web.pages.SourcesRoutes;
import io.dmarclens.web.pages.TlsRoutes;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.json.JavalinJackson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dashboard: login, pages, JSON API and CSV export on one Javalin server. {@code serve} builds it
 * with the store, the ingest console and the user store, then calls {@link #start}.
 */
public final class WebApp {
    private final Javalin app;

    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings) {
        this(store, ingest, users, settings, Clocks.system());
    }

    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings, Clock clock) {
        this(store, ingest, users, settings, clock, PostureService.offline(store, clock));
    }

    /** With the posture checks of the Posture page ({@link PostureService#offline} turns them off). */
    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings, Clock clock,
                  PostureService posture) {
        this(store, ingest, users, settings, clock, posture, UnverifiedReports.INCLUDED);
    }

    /** As above, with unverified reports counted in the figures or left out ({@code reports.exclude_unverified}). */
    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings, Clock clock,
                  PostureService posture, UnverifiedReports unverified) {
        this(store, ingest, users, settings, clock, posture, unverified, (AlertsConsole) null);
    }

    /** As above, with the Alerts page ({@code alerts} null when alerts are off). */
    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings, Clock clock,
                  PostureService posture, UnverifiedReports unverified, AlertsConsole alerts) {
        this(store, ingest, users, settings, clock, posture, unverified, alerts, null);
    }

    /**
     * As above, timing every request and serving {@code /metrics} from {@code metrics} (null: neither); when the
     * metrics have a listen address of their own, {@link MetricsServer} serves them there instead.
     */
    public WebApp(Store store, IngestConsole ingest, UserStore users, WebSettings settings, Clock clock,
                  PostureService posture, UnverifiedReports unverified, AlertsConsole alerts, DmarcMetrics metrics) {
        Objects.requireNonNull(users, "users");
        // Kept with the accounts, so that every node on the same accounts shares them (docs/cluster.md).
        Sessions sessions = new Sessions(users.sessionStore(), settings.sessionIdleTimeout(), settings.sessionLifetime(),
                clock);
        LoginThrottle throttle = new LoginThrottle(settings.login(), clock, users.loginFailures());
        AuthGate gate = new AuthGate(sessions, users);
        AuditTrail audit = new AuditTrail(users.auditLog().orElse(null), clock, settings.trustedProxies());
        TwoFactor twoFactor = users.twoFactor(settings.twoFactorRoles(), clock);
        List<RouteModule> modules = new ArrayList<>();
        modules.add(new LoginRoutes(users, sessions, throttle, settings, twoFactor, audit, clock)::register);
        PageSupport support = new PageSupport(store, clock, unverified);
        modules.add(new TwoFactorRoutes(support, twoFactor, sessions, audit));
        modules.add(new AuditRoutes(support, audit));
        modules.add(new OverviewRoutes(support));
        modules.add(new SourcesRoutes(support));
        modules.add(new ForwardingRoutes(support));
        modules.add(new DomainsRoutes(support));
        modules.add(new ReportersRoutes(support));
        modules.add(new ReportsRoutes(support));
        modules.add(new FailuresRoutes(support, new RevealPermission(audit)));
        modules.add(new TlsRoutes(support));
        modules.add(new SearchRoutes(support));
        modules.add(new IngestRoutes(ingest, support, settings.maxUploadBytes()));
        modules.add(new PostureRoutes(support, posture));
        modules.add(new AlertsRoutes(support, alerts));
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = settings.maxUploadBytes();
            config.jetty.multipartConfig.maxFileSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(settings.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxInMemoryFileSize(1, SizeUnit.MB);
            config.jetty.modifyServer(server -> server.setErrorHandler(new SecurityHeaders.JettyErrors()));
            // A client that trickles a body would hold the thread that reads it: Jetty's servlet input cuts a
            // body slower than the minimum rate, and a blocking read that waits longer than the idle
            // timeout. (Jetty 12.1 deprecates the rate here for a handler; Javalin's servlet reads through this.)
            config.jetty.modifyHttpConfiguration(http -> {
                http.setMinRequestDataRate(settings.requests().minDataRate());
                http.setIdleTimeout(settings.requests().idleTimeout().toMillis());
            });
            config.jetty.modifyServletContextHandler(handler -> handler.setErrorHandler(new SecurityHeaders.JettyErrors()));
            config.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/static";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Cache-Control", "max-age=300");
            });
            config.staticFiles.enableWebjars();
            config.routes.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
            if (metrics != null) {
                config.routes.before(metrics::beforeRequest);
                config.routes.after(metrics::afterRequest);
            }
            config.routes.before(SecurityHeaders::apply);
            config.routes.after(WebApp::serverTiming);
            config.routes.after(audit::after);
            // A body past the limit is refused by its declared length before anything (the CSRF check
            // included) reads it: 413 with our message, not Jetty's multipart failure.
            config.routes.before(ctx -> {
                if (ctx.contentLength() > settings.maxUploadBytes()) {
                    throw new ContentTooLargeResponse("the request is larger than the limit of "
                            + (settings.maxUploadBytes() >> 20) + " MiB; send smaller files");
                }
            });
            config.routes.before(gate::before);
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/ready", new Readiness(store, ingest)::answer);
            if (metrics != null && metrics.settings().enabled() && !metrics.settings().separateListener()) {
                config.routes.get("/metrics", new MetricsEndpoint(metrics, false)::answer);
            }
            config.routes.exception(HttpResponseException.class, ErrorPages::http);
            config.routes.exception(StoreException.class, ErrorPages::storeUnavailable);
            config.routes.exception(Exception.class, ErrorPages::unexpected);
            config.routes.error(404, ctx -> {
                if (ctx.result() == null) {
                    ErrorPages.write(ctx, 404, "There is no page at this address.");
                }
            });
            modules.forEach(m -> m.register(config.routes));
        });
    }

    private static final String STARTED = "dmarclens.started";

    /** Tells clients (and {@code bench api}) how long the server worked on a response. */
    private static void serverTiming(io.javalin.http.Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started != null && !ctx.res().isCommitted()) {
            ctx.header("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f",
                    (System.nanoTime() - started) / 1e6));
        }
    }

    /** Starts listening; port 0 picks a free port (see {@link #port()}). */
    public WebApp start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
