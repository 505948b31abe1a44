package io.dmarclens.web.table;

import java.util.function.Function;

/**
 * One column of a table, shared by the HTML page, the JSON API and the CSV export so that all three
 * always show the same thing.
 *
 * @param key     JSON field and CSV header name
 * @param label   heading on the page
 * @param kind    how the value is formatted
 * @param sortKey the sort key the store understands, or null when the column cannot be sorted
 * @param value   the cell value (may be null)
 * @param link    where the cell links to on the page, or null
 * @param order   the directions the column sorts in (the store's fixed orders go one way only)
 * @param <T>     the row type
 */
public record Column<T>(String key, String label, Kind kind, String sortKey, Function<T, Object> value,
                        Function<T, String> link, Order order) {

    /** How a cell is shown. */
    public enum Kind { TEXT, NUMBER, PERCENT, DATE, DATETIME, BADGE, FLAG }

    /** The directions a sortable column offers. */
    public enum Order {
        BOTH, ASCENDING_ONLY, DESCENDING_ONLY;

        /** Whether rows can come in this direction. */
        public boolean allows(boolean descending) {
            return this == BOTH || (this == DESCENDING_ONLY) == descending;
        }
    }

    public Column(String key, String label, Kind kind, String sortKey, Function<T, Object> value,
                  Function<T, String> link) {
        this(key, label, kind, sortKey, value, link, Order.BOTH);
    }

    public static <T> Column<T> text(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.TEXT, null, value, null);
    }

    public static <T> Column<T> number(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.NUMBER, null, value, null);
    }

    public static <T> Column<T> percent(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.PERCENT, null, value, null);
    }

    public static <T> Column<T> date(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.DATE, null, value, null);
    }

    public static <T> Column<T> dateTime(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.DATETIME, null, value, null);
    }

    /**
     * A yes/no mark: a warning badge reading the label (lower-cased) where true, nothing where false, and
     * left out of a page where no row is marked; true/false in JSON and CSV.
     */
    public static <T> Column<T> flag(String key, String label, java.util.function.Predicate<T> value) {
        return new Column<>(key, label, Kind.FLAG, null, row -> value.test(row), null);
    }

    public static <T> Column<T> badge(String key, String label, Function<T, Object> value) {
        return new Column<>(key, label, Kind.BADGE, null, value, null);
    }

    public Column<T> sortable(String storeSortKey) {
        return new Column<>(key, label, kind, storeSortKey, value, link, Order.BOTH);
    }

    /** Sortable both ways (rows sorted in memory, or a store order with both directions). */
    public Column<T> sortable() {
        return sortable(key);
    }

    /** Sortable in one direction only: the store has a single fixed order for this column. */
    public Column<T> sortableOnly(boolean descending) {
        return new Column<>(key, label, kind, key, value, link,
                descending ? Order.DESCENDING_ONLY : Order.ASCENDING_ONLY);
    }

    /** The direction a first click on the heading asks for: text ascending, numbers and dates descending. */
    public boolean firstDescending() {
        return switch (order) {
            case DESCENDING_ONLY -> true;
            case ASCENDING_ONLY -> false;
            case BOTH -> kind != Kind.TEXT && kind != Kind.BADGE;
        };
    }

    public Column<T> linkTo(Function<T, String> target) {
        return new Column<>(key, label, kind, sortKey, value, target, order);
    }
}
