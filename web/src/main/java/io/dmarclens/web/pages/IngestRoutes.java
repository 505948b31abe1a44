package io.dmarclens.web.pages;

import io.dmarclens.store.Authenticity;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuthGate;
import io.dmarclens.web.html.Html;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.dmarclens.ingest.inbox.MessageTooLargeException;
import io.dmarclens.store.ingestlog.InboxIds;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.ContentTooLargeResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.javalin.http.UploadedFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The ingest log, the quarantine (download, retry) and the upload form. */
public final class IngestRoutes implements RouteModule {
    private static final int MAX_FILES = 50;
    private static final int MAX_FILE_NAME = 255;

    static final Table<IngestConsole.LogEntry> LOG = new Table<>("ingest-log", List.of(
            Column.<IngestConsole.LogEntry>dateTime("at", "When", IngestConsole.LogEntry::at),
            Column.text("origin", "Origin", IngestConsole.LogEntry::origin),
            Column.text("node", "Node", IngestConsole.LogEntry::node),
            Column.text("name", "Name", IngestConsole.LogEntry::name),
            Column.badge("outcome", "Outcome", IngestConsole.LogEntry::outcome),
            Column.flag("partial", "Partial", e -> e.partial() > 0),
            Column.text("detail", "Detail", IngestConsole.LogEntry::detail)),
            new Rows.Sort("at", true), 50);

    static final Table<IngestConsole.Quarantined> QUARANTINE = new Table<>("quarantine", List.of(
            Column.<IngestConsole.Quarantined>dateTime("at", "When", IngestConsole.Quarantined::at).sortable(),
            Column.<IngestConsole.Quarantined>text("origin", "Origin", IngestConsole.Quarantined::origin).sortable(),
            Column.<IngestConsole.Quarantined>text("node", "Node", IngestConsole.Quarantined::node).sortable(),
            Column.<IngestConsole.Quarantined>text("name", "Name", IngestConsole.Quarantined::name)
                    .linkTo(q -> "/ingest/quarantine/" + io.dmarclens.web.DashboardFilter.enc(q.id())).sortable(),
            Column.text("reason", "Reason", IngestConsole.Quarantined::reason),
            Column.<IngestConsole.Quarantined>number("size", "Bytes", IngestConsole.Quarantined::size).sortable(),
            Column.text("id", "Id", IngestConsole.Quarantined::id)),
            new Rows.Sort("at", true), 50).withParamPrefix("q");

    private final IngestConsole ingest;
    private final PageSupport support;
    private final long maxUploadBytes;

    /** {@code maxUploadBytes}: the dashboard's limit on one upload request (past it: 413). */
    public IngestRoutes(IngestConsole ingest, PageSupport support, long maxUploadBytes) {
        this.ingest = ingest;
        this.support = support;
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/ingest", this::page);
        routes.get("/api/ingest/log", ctx -> ctx.json(LOG.json(ctx, log(ctx))));
        routes.get("/api/ingest/origins", ctx -> ctx.json(origins(ctx)));
        routes.get("/api/ingest/log.csv", ctx -> LOG.csv(ctx, log(ctx)));
        routes.get("/api/ingest/quarantine", ctx -> ctx.json(QUARANTINE_API.json(ctx, quarantine(ctx, QUARANTINE_API))));
        routes.get("/api/ingest/quarantine.csv", ctx -> QUARANTINE_API.csv(ctx, quarantine(ctx, QUARANTINE_API)));
        routes.get("/ingest/quarantine/{id}", this::download);
        routes.get("/api/ingest/quarantine/{id}", this::download);
        routes.post("/ingest/quarantine/{id}/retry", this::retry);
        routes.post("/api/ingest/quarantine/{id}/retry", ctx -> ctx.json(Map.of("result", retried(quarantineId(ctx)))));
        routes.post("/ingest/upload", this::upload);
        routes.post("/api/ingest/upload", ctx -> ctx.status(HttpStatus.ACCEPTED).json(Map.of("accepted", accept(ctx))));
    }

    /** The quarantine table as the API serves it (unprefixed parameters). */
    static final Table<IngestConsole.Quarantined> QUARANTINE_API = new Table<>("quarantine", QUARANTINE.columns(),
            new Rows.Sort("at", true), 50);

    /**
     * Whether the reader may see the ingest log and the quarantine. Their entries name no domain that could be
     * trusted (a message that could not be read says nothing reliable about whose it is, and the log does not
     * record the domains of what was stored), so only a reader of every domain sees them.
     */
    static boolean seesIngest(Context ctx) {
        return PageSupport.scope(ctx).isAll();
    }

    private Rows<IngestConsole.LogEntry> log(Context ctx) throws IOException {
        if (!seesIngest(ctx)) {
            return Rows.paged(0, (sort, offset, limit) -> List.of());
        }
        long total = ingest.logSize();
        return Rows.paged(total, (sort, offset, limit) -> {
            try {
                return ingest.log(offset, limit);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private Rows<IngestConsole.Quarantined> quarantine(Context ctx, Table<IngestConsole.Quarantined> table)
            throws IOException {
        return table.memory(seesIngest(ctx) ? ingest.quarantine() : List.of());
    }

    /**
     * The quarantine id of the path, or 404: an id that is not one the inbox gives out (a traversal such as
     * {@code ..\\web.db}) never reaches the file system.
     */
    private static String quarantineId(Context ctx) {
        String id = ctx.pathParam("id");
        if (!InboxIds.isValid(id) || !seesIngest(ctx)) {
            throw new NotFoundResponse("nothing in the quarantine with that id");
        }
        return id;
    }

    private void download(Context ctx) throws IOException {
        String id = quarantineId(ctx);
        InputStream in = ingest.openQuarantined(id)
                .orElseThrow(() -> new NotFoundResponse("nothing in the quarantine with id " + id));
        ctx.contentType("application/octet-stream");
        ctx.header("Content-Disposition", "attachment; filename=\"" + ReportsRoutes.safeFileName(id) + "\"");
        try (in) {
            in.transferTo(ctx.outputStream());
        }
    }

    private void retry(Context ctx) throws IOException {
        String id = quarantineId(ctx);
        retried(id);
        ctx.redirect("/ingest?notice=retried&id=" + id, HttpStatus.SEE_OTHER);
    }

    /** Retries a quarantined message; 404 when the quarantine does not hold it (never did, or not any more). */
    private String retried(String id) throws IOException {
        return ingest.retry(id).orElseThrow(() -> new NotFoundResponse("nothing in the quarantine with id " + id));
    }

    private List<String> accept(Context ctx) throws IOException {
        List<UploadedFile> files = uploadedFiles(ctx);
        if (files.isEmpty()) {
            throw new BadRequestResponse("choose at least one report file or mail to upload (field 'files')");
        }
        if (files.size() > MAX_FILES) {
            throw new BadRequestResponse("at most " + MAX_FILES + " files per upload");
        }
        List<String> ids = new ArrayList<>();
        for (UploadedFile f : files) {
            checkFileName(f.filename());
        }
        for (UploadedFile f : files) {
            try (InputStream in = f.content()) {
                ids.add(ingest.accept(AuthGate.principal(ctx).user(), f.filename(), in));
            } catch (MessageTooLargeException e) {
                throw tooLarge(e.limit());
            }
        }
        return ids;
    }

    /**
     * The uploaded files. Jetty refuses a multipart body it cannot read (a control character in a file name,
     * a body past the dashboard's size limit) with an exception carrying its HTTP status: that is the
     * client's fault (400 or 413), not a failure of ours.
     */
    private List<UploadedFile> uploadedFiles(Context ctx) {
        if (ctx.contentLength() > maxUploadBytes) {
            throw tooLarge(maxUploadBytes);
        }
        try {
            return ctx.uploadedFiles("files");
        } catch (Exception e) {
            int status = jettyStatus(e);
            if (status == 413) {
                throw tooLarge(maxUploadBytes);
            }
            if (status >= 400 && status < 500) {
                throw new BadRequestResponse("the upload could not be read: a part header such as the file name is "
                        + "malformed or holds a control character; rename the file and upload it again");
            }
            throw e;
        }
    }

    private static int jettyStatus(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jetty.http.HttpException he) {
                return he.getCode();
            }
        }
        return -1;
    }

    private static ContentTooLargeResponse tooLarge(long limit) {
        return new ContentTooLargeResponse("the upload is larger than the limit of " + (limit >> 20)
                + " MiB; split it into smaller files");
    }

    /** A file name is shown in the ingest log and kept in the inbox: printable text of a sane length only. */
    static void checkFileName(String name) {
        if (name == null || name.isBlank()) {
            throw new BadRequestResponse("every uploaded file needs a file name");
        }
        if (name.length() > MAX_FILE_NAME) {
            throw new BadRequestResponse("the file name is longer than " + MAX_FILE_NAME + " characters; rename the file");
        }
        if (name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
            throw new BadRequestResponse("the file name contains a control character; rename the file and upload it again");
        }
    }

    private void upload(Context ctx) throws IOException {
        List<String> ids = accept(ctx);
        ctx.redirect("/ingest?notice=uploaded&n=" + ids.size(), HttpStatus.SEE_OTHER);
    }

    /** One line: the policy, and when, where and with what retention last ran (in the cluster). */
    private static void retention(Html h, IngestConsole.RetentionView r) {
        h.open("section", "class", "card", "id", "retention");
        h.el("h2", "Retention");
        String last = r.lastAt() == null ? "Not run yet."
                : "Last run " + RETENTION_AT.format(r.lastAt()) + " on " + r.node() + ": " + r.removed() + ".";
        h.el("p", "Policy: " + r.policy() + " (retention.reports, retention.raw_sources). " + last,
                "id", "retention-last");
        h.close();
    }

    private static final java.time.format.DateTimeFormatter RETENTION_AT = java.time.format.DateTimeFormatter
            .ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(java.time.ZoneOffset.UTC);

    private void page(Context ctx) throws IOException {
        String csrf = AuthGate.principal(ctx).csrfToken();
        boolean sees = seesIngest(ctx);
        List<IngestConsole.Quarantined> quarantined = sees ? ingest.quarantine() : List.of();
        long dropped = sees ? ingest.droppedFromQuarantine() : 0;
        Rows<IngestConsole.LogEntry> log = log(ctx);
        PageSupport.html(ctx, Layout.page("Ingest", "/ingest", AuthGate.principal(ctx), null, null, h -> {
            String notice = notice(ctx);
            if (notice != null) {
                h.el("p", notice, "class", "notice", "id", "notice");
            }
            NodesSection.render(h, ingest.nodes());
            ingest.retention().ifPresent(r -> retention(h, r));
            h.open("section", "class", "card");
            h.el("h2", "Upload reports");
            h.el("p", "Aggregate reports (XML, gzip, zip), failure reports, TLS reports (JSON) or whole mails (.eml) "
                    + "go into the durable inbox and through the same pipeline as received mail.", "class", "muted");
            h.open("form", "method", "post", "action", "/ingest/upload", "enctype", "multipart/form-data", "class", "upload", "id", "upload-form");
            h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
            h.empty("input", "type", "file", "name", "files", "id", "files", "multiple", "multiple", "required", "required");
            h.el("button", "Upload", "type", "submit", "class", "button", "id", "upload");
            h.close().close();
            if (!sees) {
                h.el("p", "The quarantine and the ingest log list mail of every domain, so only users of all domains "
                        + "see them.", "class", "notice", "id", "ingest-scope");
            }
            h.el("h2", "Quarantine");
            h.el("p", "Files that could not be read, with the reason. Download one to look at it, or retry it after "
                    + "a fix.", "class", "muted");
            h.el("p", "Dropped to keep the quarantine within its size and age bounds (oldest first): " + dropped,
                    "class", "muted", "id", "quarantine-dropped");
            quarantineTable(h, ctx, quarantined, csrf);
            originsSection(h, support.reads(ctx));
            h.el("h2", "Ingest log");
            LOG.render(h, ctx, log, "/api/ingest/log.csv");
        }));
    }

    /**
     * The fixed text of the {@code notice} code in the URL: anyone can send a user a link, so the page shows
     * none of its text, only a count and an id it has checked.
     */
    static String notice(Context ctx) {
        String code = ctx.queryParam("notice");
        if ("uploaded".equals(code)) {
            int n = count(ctx.queryParam("n"));
            return "Accepted " + n + " file(s); they are processed in the background.";
        }
        if ("retried".equals(code)) {
            String id = ctx.queryParam("id");
            return "Ran " + (id != null && InboxIds.isValid(id) ? id : "the file")
                    + " through the pipeline again; the ingest log below has the outcome.";
        }
        return null;
    }

    private static int count(String n) {
        try {
            return Math.max(0, Math.min(MAX_FILES, Integer.parseInt(n == null ? "" : n)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Aggregate reports by the verdict on their origin (at the top level, as before failure and TLS reports had
     * one), failure and TLS reports likewise under {@code failure} and {@code tls}, and whether the figures count
     * the unverified ones.
     */
    private Map<String, Object> origins(Context ctx) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        List<Map<Authenticity.Verdict, Long>> counts = support.reads(ctx).countsByVerdict();
        counts.get(0).forEach((v, n) -> m.put(v.code(), n));
        m.put("failure", byCode(counts.get(1)));
        m.put("tls", byCode(counts.get(2)));
        m.put("unverifiedExcluded", support.excludesUnverified());
        return m;
    }

    private static Map<String, Long> byCode(Map<Authenticity.Verdict, Long> counts) {
        Map<String, Long> m = new java.util.LinkedHashMap<>();
        counts.forEach((v, n) -> m.put(v.code(), n));
        return m;
    }

    private void originsSection(Html h, ScopedReads reads) {
        List<Map<Authenticity.Verdict, Long>> counts = reads.countsByVerdict();
        h.el("h2", "Report origins");
        h.el("p", "Report mails are checked for a DKIM signature of the reporter's domain: anyone can mail a report "
                + "claiming to come from any organisation. Unverified reports are "
                + (support.excludesUnverified() ? "left out of every figure and list (reports.exclude_unverified)."
                : "counted in the figures; set reports.exclude_unverified to leave them out."), "class", "muted");
        h.open("table", "class", "kv", "id", "report-origins");
        h.open("tr").el("th", "").el("th", "Aggregate").el("th", "Failure").el("th", "TLS").close();
        originRow(h, "Unverified (mailed without a valid signature of the reporter)", Authenticity.Verdict.UNVERIFIED,
                counts);
        originRow(h, "Verified (DKIM signature of the reporter's domain)", Authenticity.Verdict.VERIFIED, counts);
        originRow(h, "Imported by hand", Authenticity.Verdict.IMPORTED, counts);
        originRow(h, "Not checked (offline, or stored before the check)", Authenticity.Verdict.NOT_CHECKED, counts);
        h.close();
    }

    private static void originRow(Html h, String label, Authenticity.Verdict verdict,
                                  List<Map<Authenticity.Verdict, Long>> counts) {
        h.open("tr").el("th", label);
        for (Map<Authenticity.Verdict, Long> kind : counts) {
            h.el("td", kind.getOrDefault(verdict, 0L), "data-origin", verdict.code());
        }
        h.close();
    }

    private void quarantineTable(Html h, Context ctx, List<IngestConsole.Quarantined> items, String csrf) {
        QUARANTINE.render(h, ctx, QUARANTINE.memory(items), "/api/ingest/quarantine.csv");
        if (items.isEmpty()) {
            return;
        }
        h.open("div", "class", "card");
        h.el("h3", "Retry");
        h.open("div", "class", "upload");
        for (IngestConsole.Quarantined q : items.subList(0, Math.min(items.size(), 20))) {
            h.open("form", "method", "post", "action", "/ingest/quarantine/" + io.dmarclens.web.DashboardFilter.enc(q.id()) + "/retry",
                    "class", "inline", "data-confirm", "Run " + q.name() + " through the pipeline again?");
            h.empty("input", "type", "hidden", "name", AuthGate.CSRF_FIELD, "value", csrf);
            h.el("button", "Retry " + q.name(), "type", "submit", "class", "button small secondary");
            h.close();
        }
        h.close().close();
    }
}
