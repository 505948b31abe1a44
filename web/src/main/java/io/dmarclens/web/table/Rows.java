package io.dmarclens.web.table;

import java.util.List;
import java.util.function.Consumer;

/**
 * The rows of one table for one request (filters already applied), fetched a page at a time for the
 * page and the API, or streamed one by one for the CSV export.
 *
 * @param <T> the row type
 */
public interface Rows<T> {
    long total();

    List<T> page(Sort sort, int offset, int limit);

    /** Every row in order, without holding them all in memory. */
    void each(Sort sort, Consumer<? super T> sink);

    /** A sort key known to the store and a direction. */
    record Sort(String key, boolean descending) {
    }

    /** Rows from a list already in memory (small tables such as a report's records). */
    static <T> Rows<T> of(List<T> all) {
        return new Rows<>() {
            @Override
            public long total() {
                return all.size();
            }

            @Override
            public List<T> page(Sort sort, int offset, int limit) {
                return all.subList(Math.min(offset, all.size()), Math.min(all.size(), offset + limit));
            }

            @Override
            public void each(Sort sort, Consumer<? super T> sink) {
                all.forEach(sink);
            }
        };
    }
}
