package io.dmarclens.web.pages;

import io.dmarclens.store.audit.AuditEntry;
import io.dmarclens.store.audit.AuditLog;
import io.dmarclens.store.audit.AuditQuery;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.auth.AuditTrail;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The audit log for admins ({@link io.dmarclens.web.auth.Access} keeps everybody else out): filtered by
 * user, action and time, as a page, JSON and CSV. Read only: there is no route that changes an entry.
 */
public final class AuditRoutes implements RouteModule {
    private static final int MAX_ROWS = 10_000;
    static final Table<AuditEntry> AUDIT = new Table<>("audit", List.of(
            Column.<AuditEntry>dateTime("at", "Time (UTC)", AuditEntry::at).sortable(),
            Column.<AuditEntry>text("user", "User", AuditEntry::user).sortable(),
            Column.<AuditEntry>text("action", "Action", AuditEntry::action).sortable(),
            Column.<AuditEntry>text("subject", "Subject", AuditEntry::subject),
            Column.<AuditEntry>text("address", "Address", AuditEntry::address).sortable()),
            new Rows.Sort("at", true), 100);

    private final PageSupport support;
    private final AuditTrail audit;

    public AuditRoutes(PageSupport support, AuditTrail audit) {
        this.support = support;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/audit", this::page);
        routes.get("/api/audit", ctx -> ctx.json(AUDIT.json(ctx, rows(ctx))));
        routes.get("/api/audit.csv", ctx -> AUDIT.csv(ctx, rows(ctx)));
    }

    private Rows<AuditEntry> rows(Context ctx) {
        Optional<AuditLog> log = audit.log();
        if (log.isEmpty()) {
            return AUDIT.memory(List.of());
        }
        return AUDIT.memory(log.get().find(new AuditQuery(param(ctx, "user"), param(ctx, "action"),
                day(ctx, "from", 0), day(ctx, "to", 1), MAX_ROWS)));
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** A day (yyyy-mm-dd, UTC) as the start of it, or of the day after for the end of a range. */
    private static Optional<Instant> day(Context ctx, String name, int plusDays) {
        try {
            return param(ctx, name).map(d -> LocalDate.parse(d).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant());
        } catch (DateTimeParseException e) {
            throw new BadRequestResponse(name + " must be a day such as 2026-11-30, not " + ctx.queryParam(name));
        }
    }

    private void page(Context ctx) {
        Rows<AuditEntry> rows = rows(ctx);
        support.page(ctx, "Audit log", "/audit", null, h -> {
            h.el("p", "Logins, user changes, tokens, reveals of personal data, exports, downloads and quarantine "
                    + "actions. Entries cannot be changed or removed.", "class", "muted");
            if (audit.log().isEmpty()) {
                h.el("p", "This dashboard runs without an audit log.", "class", "notice");
            }
            h.open("form", "method", "get", "action", "/audit", "class", "filters", "id", "audit-filter");
            for (String[] f : new String[][]{{"user", "User", "text"}, {"action", "Action", "text"},
                    {"from", "From", "date"}, {"to", "To", "date"}}) {
                h.open("label").text(f[1]);
                h.empty("input", "type", f[2], "name", f[0], "value", Optional.ofNullable(ctx.queryParam(f[0])).orElse(""));
                h.close();
            }
            h.el("button", "Filter", "type", "submit", "class", "button small");
            h.close();
            AUDIT.render(h, ctx, rows, "/api/audit.csv");
        });
    }
}
