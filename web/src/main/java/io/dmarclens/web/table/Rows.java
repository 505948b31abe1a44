package io.dmarclens.web.table;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The rows of one table for one request (filters already applied), fetched a page at a time for the
 * page and the API, or streamed for the CSV export.
 *
 * @param <T> the row type
 */
public interface Rows<T> {
    /** How many rows there are in all, or -1 when the store does not count them cheaply. */
    long total();

    List<T> page(Sort sort, int offset, int limit);

    /** Every row in order, without holding them all in memory. */
    void each(Sort sort, Consumer<? super T> sink);

    /** A column key and a direction. */
    record Sort(String key, boolean descending) {
    }

    /** Fetches one window of rows from the store. */
    @FunctionalInterface
    interface PageFetcher<T> {
        List<T> fetch(Sort sort, int offset, int limit);
    }

    /** Fetches rows page by page; the export walks the pages so memory stays at one page. */
    static <T> Rows<T> paged(long total, PageFetcher<T> fetcher) {
        return paged(total, fetcher, null);
    }

    /** Like {@link #paged(long, PageFetcher)} but exports through a streaming store call. */
    static <T> Rows<T> paged(long total, PageFetcher<T> fetcher, Streamer<T> streamer) {
        return new Rows<>() {
            @Override
            public long total() {
                return total;
            }

            @Override
            public List<T> page(Sort sort, int offset, int limit) {
                return fetcher.fetch(sort, offset, limit);
            }

            @Override
            public void each(Sort sort, Consumer<? super T> sink) {
                if (streamer != null) {
                    streamer.stream(sort, sink);
                    return;
                }
                final int chunk = 1_000;
                // a source may return less than asked (its own cap): only an empty window ends the walk
                for (int offset = 0; ; ) {
                    List<T> rows = fetcher.fetch(sort, offset, chunk);
                    if (rows.isEmpty()) {
                        return;
                    }
                    rows.forEach(sink);
                    offset += rows.size();
                }
            }
        };
    }

    /** Streams every row to a consumer. */
    @FunctionalInterface
    interface Streamer<T> {
        void stream(Sort sort, Consumer<? super T> sink);
    }

    /** Rows already in memory (small tables), sorted by the table's column values. */
    static <T> Rows<T> of(List<T> all, Table<T> table) {
        return new Rows<>() {
            @Override
            public long total() {
                return all.size();
            }

            @Override
            public List<T> page(Sort sort, int offset, int limit) {
                List<T> sorted = sorted(sort);
                return sorted.subList(Math.min(offset, sorted.size()), Math.min(sorted.size(), offset + limit));
            }

            @Override
            public void each(Sort sort, Consumer<? super T> sink) {
                sorted(sort).forEach(sink);
            }

            private List<T> sorted(Sort sort) {
                List<T> copy = new ArrayList<>(all);
                table.columns().stream().filter(c -> c.key().equals(sort.key())).findFirst().ifPresent(c -> {
                    java.util.Comparator<T> cmp = java.util.Comparator.comparing(r -> c.value().apply(r),
                            java.util.Comparator.nullsFirst(Rows::compareValues));
                    copy.sort(sort.descending() ? cmp.reversed() : cmp);
                });
                return copy;
            }
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareToIgnoreCase(y); // as the store sorts text (COLLATE NOCASE)
        }
        if (a instanceof Comparable c && a.getClass() == b.getClass()) {
            return c.compareTo(b);
        }
        return String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
    }
}
