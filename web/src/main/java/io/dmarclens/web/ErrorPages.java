package io.dmarclens.web;

import io.dmarclens.store.StoreException;
import io.dmarclens.web.html.Html;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/** Turns errors into a JSON body for the API and an escaped page for browsers. */
final class ErrorPages {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorPages.class);

    private ErrorPages() {
    }

    static void http(HttpResponseException e, Context ctx) {
        write(ctx, e.getStatus(), e.getMessage());
    }

    /** The store cannot answer now (disk, database, cluster): not a bug, and worth retrying (docs/architecture.md, Errors). */
    static void storeUnavailable(StoreException e, Context ctx) {
        LOG.warn("{} {}: the store failed: {}", ctx.method(), ctx.path(), e.getMessage());
        LOG.debug("store failure", e);
        ctx.header("Retry-After", "30");
        write(ctx, 503, "The report store cannot answer right now; try again shortly. The log says why.");
    }

    static void unexpected(Exception e, Context ctx) {
        int status = clientError(e);
        if (status == 413) {
            LOG.debug("{} {} refused: too large", ctx.method(), ctx.path(), e);
            write(ctx, 413, "The request is larger than the dashboard accepts; send smaller files.");
            return;
        }
        if (status >= 400 && status < 500) {
            // Jetty refused the body while a handler or the CSRF check read a form (a control character in an
            // upload's file name, a broken multipart): the client's fault, not a failure of ours.
            LOG.debug("{} {} refused: {}", ctx.method(), ctx.path(), status, e);
            write(ctx, 400, "The request could not be read: a malformed form or upload, such as a file name "
                    + "with a control character. Rename the file and try again.");
            return;
        }
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        write(ctx, 500, "Something went wrong on the server; the log has the details.");
    }

    /** The 4xx status Jetty gave a request it could not read, anywhere in the causes, or -1. */
    static int clientError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException he && he.getCode() >= 400 && he.getCode() < 500) {
                return he.getCode();
            }
        }
        return -1;
    }

    static void write(Context ctx, int status, String message) {
        ctx.status(status);
        if (ctx.path().startsWith("/api/") || acceptsJsonOnly(ctx)) {
            ctx.json(Map.of("status", status, "error", message == null ? "" : message));
            return;
        }
        Html h = new Html().doctype();
        h.open("html", "lang", "en").open("head");
        h.empty("meta", "charset", "utf-8");
        h.el("title", status + " \u00B7 DMARC Lens");
        h.empty("link", "rel", "stylesheet", "href", "/static/app.css");
        h.close().open("body").open("main");
        h.el("h1", "Error " + status);
        h.el("p", message, "class", "notice bad");
        h.a("/", "Back to the overview");
        h.close().close().close();
        ctx.contentType("text/html; charset=utf-8").result(h.toString());
    }

    private static boolean acceptsJsonOnly(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("application/json") && !accept.contains("text/html");
    }
}
