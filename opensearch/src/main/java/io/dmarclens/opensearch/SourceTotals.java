package io.dmarclens.opensearch;

import io.dmarclens.store.query.SourceSort;
import java.util.Comparator;
import java.util.List;

/**
 * The figures of one source IP summed over a filter, and the orders the source lists use: the embedded
 * store's ORDER BY clauses ({@code SortSql}) in Java, so that both stores list sources alike, ties included.
 *
 * @param ip             source IP as stored
 * @param messages       messages
 * @param dmarcPass      messages passing DMARC (our verdict)
 * @param spfAligned     messages with aligned SPF pass
 * @param dkimAligned    messages with aligned DKIM pass
 * @param byClass        messages per classification token, in the order of {@link #CLASSIFICATIONS}
 */
record SourceTotals(String ip, long messages, long dmarcPass, long spfAligned, long dkimAligned, long[] byClass) {
    /** Classification tokens in the order ties are broken ("" is a record without one). */
    static final List<String> CLASSIFICATIONS = List.of("", "compliant", "forwarded", "misconfigured", "threat");

    /** The classification covering most messages; on a tie the first token alphabetically; null when none. */
    String dominant() {
        String best = null;
        long most = 0;
        for (int k = 0; k < CLASSIFICATIONS.size(); k++) {
            long n = byClass[k];
            String token = CLASSIFICATIONS.get(k);
            if (n > most || n == most && n > 0 && token.compareTo(best) < 0) {
                most = n;
                best = token;
            }
        }
        return best;
    }

    /** The order of a source list; the source IP last, in the byte order SQLite and OpenSearch compare text in. */
    static Comparator<SourceTotals> order(SourceSort sort) {
        Comparator<SourceTotals> first = switch (sort) {
            case MESSAGES -> Comparator.comparingLong(SourceTotals::messages).reversed();
            case FAILING -> Comparator.comparingLong((SourceTotals s) -> s.messages - s.dmarcPass).reversed()
                    .thenComparing(Comparator.comparingLong(SourceTotals::messages).reversed());
            case PASS_RATE -> Comparator.comparingDouble((SourceTotals s) -> (double) s.dmarcPass / s.messages)
                    .thenComparing(Comparator.comparingLong(SourceTotals::messages).reversed());
        };
        return first.thenComparing(SourceTotals::ip, TextOrder.BINARY);
    }
}
