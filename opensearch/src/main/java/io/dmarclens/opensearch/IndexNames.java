package io.dmarclens.opensearch;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The names of the store's indices, aliases and templates under one prefix: {@code PREFIX-reports},
 * {@code PREFIX-records-2024.05} (read through the alias {@code PREFIX-records}), ...
 */
final class IndexNames {
    private final String prefix;

    IndexNames(String prefix) {
        this.prefix = prefix;
    }

    String prefix() {
        return prefix;
    }

    /** The index of a fixed family, or the read alias of a monthly one. */
    String of(Family f) {
        return prefix + "-" + f.suffix;
    }

    /** The month index of a monthly family holding reports that begin at {@code beginEpochSecond}. */
    String month(Family f, long beginEpochSecond) {
        LocalDate d = LocalDate.ofEpochDay(Math.floorDiv(beginEpochSecond, 86_400L));
        return String.format("%s-%s-%04d.%02d", prefix, f.suffix, d.getYear(), d.getMonthValue());
    }

    /** The pattern matching every month index of a monthly family. */
    String pattern(Family f) {
        return prefix + "-" + f.suffix + "-*";
    }

    /** The first day after the month of a month index name, or null when the name is not one of ours. */
    LocalDate monthEnd(Family f, String index) {
        String head = prefix + "-" + f.suffix + "-";
        if (!index.startsWith(head) || index.length() != head.length() + 7) {
            return null;
        }
        try {
            int year = Integer.parseInt(index.substring(head.length(), head.length() + 4));
            int month = Integer.parseInt(index.substring(head.length() + 5));
            return LocalDate.of(year, month, 1).plusMonths(1);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The template's name. */
    String template(Family f) {
        return prefix + "-" + f.suffix;
    }

    /** Every index of this store, for refreshes. */
    String all() {
        return prefix + "-*";
    }

    static long epochSecond(LocalDate d) {
        return d.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
    }
}
