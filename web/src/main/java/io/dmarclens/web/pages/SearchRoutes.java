package io.dmarclens.web.pages;

import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import io.dmarclens.web.DashboardFilter;
import io.dmarclens.web.RouteModule;
import io.dmarclens.web.html.Html;
import io.dmarclens.web.table.Column;
import io.dmarclens.web.table.Rows;
import io.dmarclens.web.table.Table;
import io.javalin.config.RoutesConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Search over records, failure reports and TLS failures with the store's query syntax. The query goes to
 * the store as typed (the store parses it); the dashboard's filters narrow the hits afterwards, so no
 * filter value is ever spliced into the query text.
 */
public final class SearchRoutes implements RouteModule {
    private static final int MAX_QUERY = 1_000;
    private static final int MAX_EXPORT_HITS = 1_000_000;
    private static final int CHUNK = 500;
    /** Hits looked at for a page of results; the export looks at up to {@link #MAX_EXPORT_HITS}. */
    private static final int PAGE_HITS = 10_000;

    /**
     * One hit, whatever its kind, in the columns of the results table; {@code origin} is the verdict on its
     * report's origin ({@code verified}, {@code unverified}, ...), as report lists show it.
     */
    public record Hit(String kind, Instant date, String reporter, String domain, String sourceIp, String from,
                      long messages, String result, String classification, String detail, String link, String origin) {
    }

    static final Table<Hit> HITS = new Table<>("search", List.of(
            Column.badge("kind", "Kind", Hit::kind),
            Column.<Hit>date("date", "Date", Hit::date),
            Column.<Hit>text("reporter", "Reporter", Hit::reporter).linkTo(Hit::link),
            Column.text("domain", "Domain", Hit::domain),
            Column.<Hit>text("sourceIp", "Source IP", Hit::sourceIp)
                    .linkTo(h -> h.sourceIp() == null || h.sourceIp().isEmpty() ? null : "/sources/" + DashboardFilter.enc(h.sourceIp())),
            Column.text("from", "From", Hit::from),
            Column.number("messages", "Messages", Hit::messages),
            Column.badge("result", "DMARC / result", Hit::result),
            Column.badge("classification", "Class", Hit::classification),
            Column.text("detail", "Details", Hit::detail),
            Column.badge("origin", "Origin", Hit::origin)),
            new Rows.Sort("date", true), 50);

    /** Field help shown beside the box; the store documents the full syntax in docs/search.md. */
    static final String[][] FIELDS = {
            {"ip:192.0.2.0/24", "source IP, a single address or a CIDR range"},
            {"from:example.com", "header_from domain (also envfrom, envto)"},
            {"ptr:*.google.com", "reverse DNS name of the source; base: its organisational domain"},
            {"sender:mailchimp", "known sending service; type: its kind (ESP, Forwarder ...)"},
            {"dkim:fail spf:pass", "DMARC-evaluated results; dmarc:fail for our own verdict"},
            {"selector:s1 dkimdomain:example.com", "DKIM selector and signing domain"},
            {"disposition:reject", "what the receiver did: none, quarantine, reject"},
            {"class:threat", "compliant, forwarded, misconfigured or threat"},
            {"reporter:google", "reporting organisation; domain: policy domain"},
            {"override:forwarded", "policy override reason given by the receiver"},
            {"asn:15169 country:US", "network and country of the source"},
            {"subject:invoice", "failure reports: subject of the sample (also to, msgid, authfailure)"},
            {"result:certificate-expired mx:mx1.example.com", "TLS failures: result type and MX host"},
            {"kind:failure", "only records, failure reports or TLS failures (record, failure, tls)"},
            {"origin:unverified", "the DKIM check of the report mail: verified, unverified, imported, not_checked"},
            {"date:[2024-05-01 TO 2024-05-31]", "a date range; AND, OR, NOT, quotes and * work as usual"},
    };

    private final PageSupport support;

    public SearchRoutes(PageSupport support) {
        this.support = support;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.get("/search", this::page);
        routes.get("/api/search", ctx -> {
            String q = query(ctx);
            if (q.isEmpty()) {
                throw new BadRequestResponse("q (the search query) is required");
            }
            ctx.json(HITS.json(ctx, rows(ctx, q, PAGE_HITS)));
        });
        routes.get("/api/search.csv", ctx -> {
            String q = query(ctx);
            if (q.isEmpty()) {
                throw new BadRequestResponse("q (the search query) is required");
            }
            HITS.csv(ctx, rows(ctx, q, MAX_EXPORT_HITS));
        });
    }

    private static String query(Context ctx) {
        String q = Objects.requireNonNullElse(ctx.queryParam("q"), "").strip();
        if (q.length() > MAX_QUERY) {
            throw new BadRequestResponse("the query is longer than " + MAX_QUERY + " characters");
        }
        return q;
    }

    /** Hits that pass the dashboard filters, newest first, loaded from the store a chunk at a time. */
    private Rows<Hit> rows(Context ctx, String q, int limit) {
        DashboardFilter f = support.filter(ctx);
        ScopedReads reads = support.reads(ctx);
        SearchResults found = search(reads, q, limit);
        List<SearchHit> inRange = found.hits().stream().filter(h -> h.date() == null || inRange(f, h.date())).toList();
        // The store bounds the hits by the reader's scope; the rows' loads check it once more.
        boolean countable = f.domains().isEmpty() && f.reporters().isEmpty();
        return new Rows<>() {
            @Override
            public long total() {
                return countable ? inRange.size() : -1;
            }

            @Override
            public List<Hit> page(Sort sort, int offset, int limit) {
                List<Hit> out = new ArrayList<>();
                int from = offset;
                if (countable) {
                    load(reads, inRange.subList(Math.min(from, inRange.size()), Math.min(inRange.size(), from + limit)), f, out::add);
                    return out;
                }
                // with domain or reporter filters the hits are narrowed after loading: walk until the page is full
                int skipped = 0;
                for (int i = 0; i < inRange.size() && out.size() < limit; i += CHUNK) {
                    List<Hit> chunk = new ArrayList<>();
                    load(reads, inRange.subList(i, Math.min(inRange.size(), i + CHUNK)), f, chunk::add);
                    for (Hit h : chunk) {
                        if (skipped < from) {
                            skipped++;
                        } else if (out.size() < limit) {
                            out.add(h);
                        }
                    }
                }
                return out;
            }

            @Override
            public void each(Sort sort, Consumer<? super Hit> sink) {
                for (int i = 0; i < inRange.size(); i += CHUNK) {
                    load(reads, inRange.subList(i, Math.min(inRange.size(), i + CHUNK)), f, sink);
                }
            }
        };
    }

    private SearchResults search(ScopedReads reads, String q, int limit) {
        try {
            // Hits of unverified reports are left out in the store, as every figure leaves them out.
            return reads.search(q, limit, support.excludesUnverified());
        } catch (SearchSyntaxException e) {
            throw new BadRequestResponse("cannot read the query: " + e.getMessage());
        }
    }

    private static boolean inRange(DashboardFilter f, Instant date) {
        long s = date.getEpochSecond();
        return s >= f.fromEpochSecond() && s < f.toEpochSecondExclusive();
    }

    /** Loads the rows of some hits, keeping their order and the filter's domains and reporters. */
    private void load(ScopedReads reads, List<SearchHit> hits, DashboardFilter f, Consumer<? super Hit> sink) {
        List<Long> recordIds = new ArrayList<>();
        List<Long> tlsIds = new ArrayList<>();
        for (SearchHit h : hits) {
            if (h.kind() == SearchHit.Kind.RECORD) {
                recordIds.add(h.id());
            } else if (h.kind() == SearchHit.Kind.TLS) {
                tlsIds.add(h.id());
            }
        }
        Map<Long, RecordRow> records = new HashMap<>();
        reads.records(recordIds).forEach(r -> records.put(r.id(), r));
        Map<Long, TlsFailureRow> tls = new HashMap<>();
        reads.tlsFailures(tlsIds).forEach(t -> tls.put(t.id(), t));
        for (SearchHit h : hits) {
            Hit hit = switch (h.kind()) {
                case RECORD -> {
                    RecordRow r = records.get(h.id());
                    yield r == null ? null : record(r);
                }
                case TLS -> {
                    TlsFailureRow t = tls.get(h.id());
                    yield t == null ? null : tls(t);
                }
                case FAILURE -> reads.failureReport(h.id()).map(SearchRoutes::failure).orElse(null);
            };
            if (hit != null && keep(f, hit)) {
                sink.accept(hit);
            }
        }
    }

    private static boolean keep(DashboardFilter f, Hit h) {
        boolean domainOk = f.domains().isEmpty() || f.domains().stream().anyMatch(d -> d.equalsIgnoreCase(h.domain()));
        boolean reporterOk = f.reporters().isEmpty() || f.reporters().contains(h.reporter());
        return domainOk && reporterOk;
    }

    static Hit record(RecordRow r) {
        return new Hit("record", r.begin(), r.reporter(), r.policyDomain(), r.sourceIp(), r.headerFrom(), r.count(),
                r.dmarcPass() ? "pass" : "fail", r.classification(),
                "dkim " + r.dkim() + ", spf " + r.spf() + ", " + r.disposition()
                        + (r.dkimResults().isEmpty() ? "" : "; " + RecordColumns.dkim(r.dkimResults())),
                "/reports/" + r.reportRef(), r.authenticity().verdict().code());
    }

    static Hit failure(FailureRow f) {
        return new Hit("failure", f.arrival(), f.userAgent(), String.join(", ", f.reportedDomain()), f.sourceIp(),
                Redaction.redact(f.from()), f.incidents(), String.join(", ", f.authFailure()), null,
                Redaction.redact(f.subject()), "/failures/" + f.id(), f.authenticity().verdict().code());
    }

    static Hit tls(TlsFailureRow t) {
        return new Hit("tls", t.begin(), t.organization(), t.policyDomain(), t.sendingMtaIp(), null, t.failedSessions(),
                t.resultType(), null, t.receivingMxHostname() + (t.additionalInfo() == null ? "" : ": " + t.additionalInfo()),
                "/tls/" + t.tlsReportRef(), t.authenticity().verdict().code());
    }

    private void page(Context ctx) {
        DashboardFilter f = support.filter(ctx);
        String q = query(ctx);
        support.page(ctx, "Search", "/search", f, h -> {
            h.open("form", "method", "get", "action", "/search", "class", "searchbox", "role", "search");
            for (var e : ctx.queryParamMap().entrySet()) {
                if (List.of("range", "from", "to", "domain", "reporter").contains(e.getKey())) {
                    e.getValue().forEach(v -> h.empty("input", "type", "hidden", "name", e.getKey(), "value", v));
                }
            }
            h.empty("input", "type", "search", "name", "q", "id", "q", "value", q,
                    "placeholder", "e.g. dmarc:fail AND from:example.com", "aria-label", "search query", "maxlength", "1000");
            h.el("button", "Search", "type", "submit", "class", "button");
            h.close();
            if (!q.isEmpty()) {
                try {
                    Rows<Hit> rows = rows(ctx, q, PAGE_HITS);
                    HITS.render(h, ctx, rows, "/api/search.csv");
                } catch (BadRequestResponse e) {
                    h.el("p", e.getMessage(), "class", "notice bad", "id", "search-error");
                }
            }
            help(h);
        });
    }

    private static void help(Html h) {
        h.open("details", "class", "card help", "open", "open");
        h.el("summary", "Search fields");
        h.open("dl");
        for (String[] f : FIELDS) {
            h.el("dt", f[0]).el("dd", f[1]);
        }
        h.close().close();
    }
}
