package io.dmarclens.web;

import io.javalin.http.Context;

/**
 * Response headers that keep a report string from ever running as script: a Content-Security-Policy
 * with no inline scripts or event handlers, no framing, no MIME sniffing, no referrer leaks.
 */
final class SecurityHeaders {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            + "frame-ancestors 'none'";

    private SecurityHeaders() {
    }

    /**
     * Jetty's own error pages (a request it refuses before the dashboard sees it: a broken URI, an
     * ambiguous path, headers too large) carry the same headers as every other answer.
     */
    static final class JettyErrors extends org.eclipse.jetty.server.handler.ErrorHandler {
        // Jetty calls this for every error page it writes; overriding handle() would declare Exception.
        @Override
        protected void generateCacheControl(org.eclipse.jetty.server.Response response) {
            org.eclipse.jetty.http.HttpFields.Mutable headers = response.getHeaders();
            headers.put("Content-Security-Policy", CSP);
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("X-Frame-Options", "DENY");
            headers.put("Referrer-Policy", "no-referrer");
            headers.put("Cache-Control", "no-store");
        }
    }

    static void apply(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        if (!ctx.path().startsWith("/static/") && !ctx.path().startsWith("/webjars/")) {
            ctx.header("Cache-Control", "no-store");
        }
    }
}
