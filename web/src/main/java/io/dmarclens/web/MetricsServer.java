package io.dmarclens.web;

import io.dmarclens.store.Store;
import io.dmarclens.web.metrics.DmarcMetrics;
import io.dmarclens.web.metrics.MetricsEndpoint;
import io.javalin.Javalin;
import java.util.Map;

/**
 * {@code metrics.listen}: a listener of its own serving {@code /metrics}, {@code /health} and {@code /ready}
 * only, for a private network or loopback, so that Prometheus needs neither a dashboard account nor the
 * dashboard's address. The token, when set, is still required.
 */
public final class MetricsServer implements AutoCloseable {
    private final Javalin app;

    public MetricsServer(DmarcMetrics metrics, Store store, IngestConsole ingest) {
        MetricsEndpoint endpoint = new MetricsEndpoint(metrics, true);
        Readiness readiness = new Readiness(store, ingest);
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.modifyServer(server -> server.setErrorHandler(new SecurityHeaders.JettyErrors()));
            config.routes.before(metrics::beforeRequest);
            config.routes.after(metrics::afterRequest);
            config.routes.get("/metrics", endpoint::answer);
            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/ready", readiness::answer);
        });
    }

    /** Starts listening; port 0 picks a free port (see {@link #port()}). */
    public MetricsServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
