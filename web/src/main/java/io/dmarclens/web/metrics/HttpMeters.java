package io.dmarclens.web.metrics;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The latency of every HTTP request, labelled by the route's pattern (such as {@code /reports/{id}}), never
 * by the path a client sent: the routes are ours and few, the paths are anybody's.
 */
final class HttpMeters {
    private static final String SAMPLE = "dmarclens.metrics.sample";
    private static final String UNMATCHED = "unmatched";

    private final MeterRegistry registry;

    HttpMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void before(Context ctx) {
        ctx.attribute(SAMPLE, Timer.start(registry));
    }

    void after(Context ctx) {
        Timer.Sample sample = ctx.attribute(SAMPLE);
        if (sample == null) {
            return;
        }
        sample.stop(Timer.builder("http.server.requests")
                .description("HTTP requests of the dashboard, API and metrics, by method, route and status")
                .tag("method", ctx.method().name())
                .tag("route", route(ctx))
                .tag("status", Integer.toString(ctx.statusCode()))
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(150),
                        Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .register(registry));
    }

    private static String route(Context ctx) {
        try {
            Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
            return endpoint == null ? UNMATCHED : endpoint.path;
        } catch (RuntimeException e) { // no endpoint matched (a 404): Javalin has none to give
            return UNMATCHED;
        }
    }
}
