package io.dmarclens.web.table;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Locale;
import java.util.stream.Collectors;

/** Formats cell values the same way for the page and the CSV file. */
public final class Cells {
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private Cells() {
    }

    /** The text of a cell; percentages are fractions 0..1 shown with one decimal. */
    public static String format(Column.Kind kind, Object v) {
        if (v == null) {
            return "";
        }
        return switch (kind) {
            case FLAG -> Boolean.TRUE.equals(v) ? "yes" : "";
            case PERCENT -> v instanceof Number n ? String.format(Locale.ROOT, "%.1f%%", n.doubleValue() * 100) : v.toString();
            case NUMBER -> v instanceof Double || v instanceof Float
                    ? String.format(Locale.ROOT, "%.2f", ((Number) v).doubleValue())
                    : v instanceof Number n ? String.format(Locale.ROOT, "%,d", n.longValue()) : v.toString();
            case DATE -> v instanceof Instant i ? LocalDate.ofInstant(i, ZoneOffset.UTC).toString()
                    : v instanceof Long l ? LocalDate.ofEpochDay(Math.floorDiv(l, 86_400)).toString() : v.toString();
            case DATETIME -> v instanceof Instant i ? DATE_TIME.format(i)
                    : v instanceof Long l ? DATE_TIME.format(Instant.ofEpochSecond(l)) : v.toString();
            default -> v instanceof Collection<?> c
                    ? c.stream().map(String::valueOf).collect(Collectors.joining(", ")) : v.toString();
        };
    }

    /** The CSV form of a cell: plain numbers (no thousands separators), ISO times. */
    public static String csv(Column.Kind kind, Object v) {
        if (v == null) {
            return "";
        }
        return switch (kind) {
            case PERCENT -> v instanceof Number n ? String.format(Locale.ROOT, "%.4f", n.doubleValue()) : v.toString();
            case NUMBER, FLAG -> v.toString();
            case DATE, DATETIME -> v instanceof Instant i ? i.toString()
                    : v instanceof Long l && kind == Column.Kind.DATETIME ? Instant.ofEpochSecond(l).toString()
                    : format(kind, v);
            default -> format(kind, v);
        };
    }

    /** The JSON form of a cell: numbers stay numbers, instants become ISO strings. */
    public static Object json(Column.Kind kind, Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Instant i) {
            return i.toString();
        }
        if ((kind == Column.Kind.DATE || kind == Column.Kind.DATETIME) && v instanceof Long) {
            return csv(kind, v);
        }
        return v;
    }
}
