package io.dmarclens.web.table;

import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;

/**
 * Sorting and paging asked for in the query string: {@code sort}, {@code dir=asc|desc}, {@code page}
 * (1-based) and {@code size}. The sort key must be one the table offers, so nothing else reaches the store.
 */
public record TableRequest(Rows.Sort sort, int page, int size) {
    public static final int MAX_SIZE = 500;

    public int offset() {
        return (page - 1) * size;
    }

    static <T> TableRequest from(Context ctx, Table<T> table) {
        String sortParam = ctx.queryParam(table.param("sort"));
        Column<T> col = null;
        if (sortParam != null) {
            col = table.columns().stream().filter(c -> c.sortKey() != null && c.key().equals(sortParam))
                    .findFirst()
                    .orElseThrow(() -> new BadRequestResponse("cannot sort " + table.name() + " by '" + sortParam + "'"));
        }
        String dir = ctx.queryParam(table.param("dir"));
        boolean desc = dir == null ? (col == null ? table.defaultSort().descending() : !isText(col)) : dir.equals("desc");
        if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
            throw new BadRequestResponse("dir must be asc or desc");
        }
        Rows.Sort sort = col == null ? new Rows.Sort(table.defaultSort().key(), desc) : new Rows.Sort(col.key(), desc);
        int page = intParam(ctx, table.param("page"), 1, 1, 1_000_000);
        int size = intParam(ctx, table.param("size"), table.pageSize(), 1, MAX_SIZE);
        return new TableRequest(sort, page, size);
    }

    private static boolean isText(Column<?> c) {
        return c.kind() == Column.Kind.TEXT || c.kind() == Column.Kind.BADGE;
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new BadRequestResponse(name + " must be between " + min + " and " + max);
            }
            return i;
        } catch (NumberFormatException e) {
            throw new BadRequestResponse(name + " must be a number, not '" + v + "'");
        }
    }
}
