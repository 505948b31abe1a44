package io.dmarclens.web.table;

import io.dmarclens.parser.Bounded;
import io.dmarclens.web.html.Html;
import io.javalin.http.Context;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A table definition: its columns, default order and page size. The same definition renders the HTML
 * table (sortable headings, pager), the JSON page of the API and the streamed CSV export.
 *
 * @param <T> the row type
 */
public final class Table<T> {
    private static final int LONG_TEXT = 40;
    /**
     * Characters of one cell on a page and in the API at most: a value written by a stranger may be 64 KiB,
     * and a page of 500 rows of them must stay small. The CSV export keeps every value whole.
     */
    static final int MAX_CELL = 1_000;
    private final String name;
    private final List<Column<T>> columns;
    private final Rows.Sort defaultSort;
    private final int pageSize;
    private final String prefix;

    public Table(String name, List<Column<T>> columns, Rows.Sort defaultSort, int pageSize) {
        this(name, columns, defaultSort, pageSize, "");
    }

    private Table(String name, List<Column<T>> columns, Rows.Sort defaultSort, int pageSize, String prefix) {
        this.name = name;
        this.columns = List.copyOf(columns);
        columns.stream().filter(c -> c.sortKey() != null && c.key().equals(defaultSort.key())).findFirst()
                .filter(c -> !c.order().allows(defaultSort.descending()))
                .ifPresent(c -> {
                    throw new IllegalArgumentException(name + ": the default order " + defaultSort
                            + " is one its column '" + c.key() + "' does not offer");
                });
        this.defaultSort = defaultSort;
        this.pageSize = pageSize;
        this.prefix = prefix;
    }

    /** The same table with its sort and page parameters prefixed, for a second table on one page. */
    public Table<T> withParamPrefix(String p) {
        return new Table<>(name, columns, defaultSort, pageSize, p);
    }

    /** The query parameter name of {@code sort}, {@code dir}, {@code page} or {@code size} for this table. */
    public String param(String name) {
        return prefix + name;
    }

    public String name() {
        return name;
    }

    public List<Column<T>> columns() {
        return columns;
    }

    /** The sortable column with this key, if there is one. */
    public Optional<Column<T>> sortColumn(String key) {
        return columns.stream().filter(c -> c.sortKey() != null && c.key().equals(key)).findFirst();
    }

    public Rows.Sort defaultSort() {
        return defaultSort;
    }

    public int pageSize() {
        return pageSize;
    }

    public TableRequest request(Context ctx) {
        return TableRequest.from(ctx, this);
    }

    /** The HTML table for the current page, with sort links, a pager and the CSV link. */
    public Rows<T> memory(List<T> all) {
        return Rows.of(all, this);
    }

    public void render(Html h, Context ctx, Rows<T> rows, String csvPath) {
        TableRequest req = request(ctx);
        long total = rows.total();
        List<T> page = new ArrayList<>(rows.page(req.sort(), req.offset(), req.size() + 1));
        boolean hasNext = page.size() > req.size();
        if (hasNext) {
            page.remove(page.size() - 1);
        }
        h.open("div", "class", "table-card");
        h.open("div", "class", "table-tools");
        h.el("span", total >= 0 ? String.format(Locale.ROOT, total == 1 ? "%,d row" : "%,d rows", total)
                : String.format(Locale.ROOT, "rows %,d\u2013%,d", page.isEmpty() ? 0 : req.offset() + 1, req.offset() + page.size()),
                "class", "muted");
        h.a(csvPath + "?" + exportQuery(ctx, req), "Export CSV",
                "class", "button small", "download", name + ".csv", "data-export", name);
        h.close();
        List<Column<T>> shown = shownColumns(page, req.sort());
        h.open("div", "class", "table-scroll");
        h.open("table", "class", "data", "data-table", name);
        h.open("thead").open("tr");
        for (Column<T> c : shown) {
            String cls = align(c);
            boolean active = req.sort().key().equals(c.key());
            String arrow = active ? (req.sort().descending() ? " \u25BE" : " \u25B4") : "";
            String ariaSort = active ? (req.sort().descending() ? "descending" : "ascending") : null;
            if (c.sortKey() == null) {
                // the default order of a table no column can re-sort still shows on its heading
                h.el("th", c.label() + arrow, "class", cls + (active ? " sorted" : ""), "aria-sort", ariaSort);
                continue;
            }
            boolean nextDesc = active && c.order() == Column.Order.BOTH ? !req.sort().descending()
                    : active ? req.sort().descending() : c.firstDescending();
            h.open("th", "class", cls + (active ? " sorted" : ""), "aria-sort", ariaSort);
            h.a("?" + queryWith(ctx, Map.of(param("sort"), c.key(), param("dir"), nextDesc ? "desc" : "asc", param("page"), "")),
                    c.label() + arrow);
            h.close();
        }
        h.close().close();
        h.open("tbody");
        if (page.isEmpty()) {
            h.open("tr").el("td", "Nothing matches these filters.", "colspan", String.valueOf(shown.size()),
                    "class", "empty").close();
        }
        for (T row : page) {
            h.open("tr");
            for (Column<T> c : shown) {
                Object v = c.value().apply(row);
                String text = Bounded.text(Cells.format(c.kind(), v), MAX_CELL);
                // Long text (a classification's reason) gets a readable width; the table scrolls sideways instead.
                h.open("td", "class", align(c) + (c.kind() == Column.Kind.TEXT && text.length() > LONG_TEXT ? " long" : ""));
                String link = c.link() == null ? null : c.link().apply(row);
                if (c.kind() == Column.Kind.FLAG) {
                    if (Boolean.TRUE.equals(v)) {
                        h.el("span", c.label().toLowerCase(Locale.ROOT), "class", "badge badge-warn");
                    }
                } else if (c.kind() == Column.Kind.BADGE && v != null && !text.isEmpty()) {
                    h.el("span", text, "class", "badge badge-" + badgeClass(text));
                } else if (c.kind() == Column.Kind.PERCENT && v instanceof Number n) {
                    h.open("span", "class", "pct");
                    h.el("meter", "", "min", "0", "max", "1", "low", "0.5", "high", "0.9", "optimum", "1",
                            "value", String.format(Locale.ROOT, "%.4f", n.doubleValue()));
                    h.el("span", text);
                    h.close();
                } else if (link != null) {
                    h.a(link, text.isEmpty() ? "(empty)" : text);
                } else {
                    h.text(text);
                }
                h.close();
            }
            h.close();
        }
        h.close().close().close();
        pager(h, ctx, req, total, hasNext);
        h.close();
    }

    /**
     * The columns worth a place on this page: a text column empty (a flag false) in every row is left out, unless the page
     * is sorted by it or it links somewhere (without DNS or a GeoIP database, reverse DNS, AS and country
     * are empty everywhere and would squeeze the rest). JSON and CSV keep every column.
     */
    private List<Column<T>> shownColumns(List<T> page, Rows.Sort sort) {
        if (page.isEmpty()) {
            return columns;
        }
        List<Column<T>> shown = new ArrayList<>(columns.size());
        for (Column<T> c : columns) {
            boolean optional = (c.kind() == Column.Kind.TEXT || c.kind() == Column.Kind.FLAG) && c.link() == null
                    && !c.key().equals(sort.key());
            if (!optional || page.stream().anyMatch(row -> !Cells.format(c.kind(), c.value().apply(row)).isEmpty())) {
                shown.add(c);
            }
        }
        return shown;
    }

    /** The current page as a JSON-ready map. */
    public Map<String, Object> json(Context ctx, Rows<T> rows) {
        TableRequest req = request(ctx);
        List<Map<String, Object>> out = new ArrayList<>();
        List<T> page = rows.page(req.sort(), req.offset(), req.size() + 1);
        for (T row : page.subList(0, Math.min(page.size(), req.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Column<T> c : columns) {
                Object v = Cells.json(c.kind(), c.value().apply(row));
                m.put(c.key(), v instanceof String text ? Bounded.text(text, MAX_CELL) : v);
            }
            out.add(m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("total", rows.total() >= 0 ? rows.total() : null);
        result.put("hasMore", page.size() > req.size());
        result.put("page", req.page());
        result.put("size", req.size());
        result.put("sort", req.sort().key());
        result.put("dir", req.sort().descending() ? "desc" : "asc");
        result.put("columns", columns.stream().map(c -> Map.of("key", c.key(), "label", c.label())).toList());
        result.put("rows", out);
        return result;
    }

    /** Streams every row (not just a page) as CSV with a header row of the column keys. */
    public void csv(Context ctx, Rows<T> rows) {
        TableRequest req = request(ctx);
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"");
        BufferedWriter w = new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16);
        CsvWriter csv = new CsvWriter(w, columns.stream().map(Column::key).toList());
        List<String> cells = new ArrayList<>(columns.size());
        rows.each(req.sort(), row -> {
            cells.clear();
            for (Column<T> c : columns) {
                cells.add(Cells.csv(c.kind(), c.value().apply(row)));
            }
            csv.row(cells);
        });
        csv.flush();
    }

    private void pager(Html h, Context ctx, TableRequest req, long total, boolean hasNext) {
        long pages = total < 0 ? -1 : Math.max(1, (total + req.size() - 1) / req.size());
        if (req.page() == 1 && !hasNext) {
            return;
        }
        h.open("nav", "class", "pager", "aria-label", "pages");
        if (req.page() > 1) {
            h.a("?" + queryWith(ctx, Map.of(param("page"), String.valueOf(req.page() - 1))), "\u2039 Previous", "rel", "prev");
        }
        h.el("span", pages < 0 ? String.format(Locale.ROOT, "Page %,d", req.page())
                : String.format(Locale.ROOT, "Page %,d of %,d", req.page(), pages), "class", "muted");
        if (hasNext) {
            h.a("?" + queryWith(ctx, Map.of(param("page"), String.valueOf(req.page() + 1))), "Next \u203A", "rel", "next");
        }
        h.close();
    }

    /** The request's filters with this table's order, without any table's paging, for the CSV link. */
    private String exportQuery(Context ctx, TableRequest req) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            String k = e.getKey();
            if (k.endsWith("sort") || k.endsWith("dir") || k.endsWith("page") || k.endsWith("size")) {
                continue;
            }
            for (String v : e.getValue()) {
                append(b, k, v);
            }
        }
        append(b, "sort", req.sort().key());
        append(b, "dir", req.sort().descending() ? "desc" : "asc");
        return b.toString();
    }

    /** The request's query string with some parameters replaced (an empty value removes one). */
    public static String queryWith(Context ctx, Map<String, String> replace) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<String>> e : ctx.queryParamMap().entrySet()) {
            if (replace.containsKey(e.getKey())) {
                continue;
            }
            for (String v : e.getValue()) {
                append(b, e.getKey(), v);
            }
        }
        replace.forEach((k, v) -> {
            if (!v.isEmpty()) {
                append(b, k, v);
            }
        });
        return b.toString();
    }

    private static void append(StringBuilder b, String k, String v) {
        if (b.length() > 0) {
            b.append('&');
        }
        b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }

    private static String align(Column<?> c) {
        return switch (c.kind()) {
            case NUMBER, PERCENT -> "num";
            case DATE, DATETIME -> "txt date";
            default -> "txt";
        };
    }

    private static String badgeClass(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "compliant", "pass", "none", "success", "verified" -> "good";
            case "forwarded", "quarantine", "softfail", "neutral" -> "warn";
            case "misconfigured" -> "misc";
            case "threat", "fail", "reject", "permerror", "temperror", "unverified" -> "bad";
            default -> "plain";
        };
    }
}
