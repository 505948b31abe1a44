package io.dmarclens.web.metrics;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * {@code GET /metrics}. With a token configured a scrape must send {@code Authorization: Bearer TOKEN} (401
 * otherwise, compared in constant time). Without one, it answers only on a separate listen address (which
 * the operator keeps private); on the dashboard's address it answers 404 with what to set, so that figures
 * such as domain names are never public by default.
 */
public final class MetricsEndpoint {
    /** The Prometheus text format that {@link DmarcMetrics#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final DmarcMetrics metrics;
    private final boolean separateListener;

    public MetricsEndpoint(DmarcMetrics metrics, boolean separateListener) {
        this.metrics = metrics;
        this.separateListener = separateListener;
    }

    public void answer(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String token = metrics.settings().token();
        if (token == null && !separateListener) {
            ctx.status(HttpStatus.NOT_FOUND).contentType("text/plain; charset=utf-8")
                    .result("/metrics needs metrics.token (or metrics.listen, a separate address); see docs/metrics.md\n");
            return;
        }
        if (token != null && !authorized(ctx.header("Authorization"), token)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"metrics\"");
            ctx.status(HttpStatus.UNAUTHORIZED).contentType("text/plain; charset=utf-8")
                    .result("send the metrics token: Authorization: Bearer TOKEN\n");
            return;
        }
        ctx.contentType(CONTENT_TYPE).result(metrics.scrape());
    }

    private static boolean authorized(String header, String token) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }
}
