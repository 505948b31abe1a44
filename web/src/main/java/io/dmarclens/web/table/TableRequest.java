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
        String dir = ctx.queryParam(table.param("dir"));
        if (dir != null && !dir.equals("asc") && !dir.equals("desc")) {
            throw new BadRequestResponse("dir must be asc or desc");
        }
        Rows.Sort sort = sort(table, ctx.queryParam(table.param("sort")), dir == null ? null : dir.equals("desc"));
        int page = intParam(ctx, table.param("page"), 1, 1, 1_000_000);
        int size = intParam(ctx, table.param("size"), table.pageSize(), 1, MAX_SIZE);
        return new TableRequest(sort, page, size);
    }

    /**
     * The order asked for. The table's default order is always accepted (it is the order its page shows
     * and its export link carries, even where no column can be sorted); any other must be a column's
     * sort in a direction that column offers.
     */
    private static <T> Rows.Sort sort(Table<T> table, String key, Boolean descending) {
        Rows.Sort dflt = table.defaultSort();
        if (key == null || key.equals(dflt.key()) && table.sortColumn(key).isEmpty()) {
            if (key != null && descending != null && descending != dflt.descending()) {
                throw new BadRequestResponse(table.name() + " can only be sorted by '" + dflt.key() + "' "
                        + direction(dflt.descending()));
            }
            return dflt;
        }
        Column<T> col = table.sortColumn(key)
                .orElseThrow(() -> new BadRequestResponse("cannot sort " + table.name() + " by '" + key + "'"));
        boolean desc = descending == null ? col.firstDescending() : descending;
        if (!col.order().allows(desc)) {
            throw new BadRequestResponse(table.name() + " can only be sorted by '" + key + "' " + direction(!desc));
        }
        return new Rows.Sort(col.key(), desc);
    }

    private static String direction(boolean descending) {
        return descending ? "descending" : "ascending";
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
