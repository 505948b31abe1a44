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
 * @param <T>     the row type
 */
public record Column<T>(String key, String label, Kind kind, String sortKey, Function<T, Object> value,
                        Function<T, String> link) {

    /** How a cell is shown. */
    public enum Kind { TEXT, NUMBER, PERCENT, DATE, DATETIME, BADGE, FLAG }

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
        return new Column<>(key, label, kind, storeSortKey, value, link);
    }

    public Column<T> sortable() {
        return sortable(key);
    }

    public Column<T> linkTo(Function<T, String> target) {
        return new Column<>(key, label, kind, sortKey, value, target);
    }
}
