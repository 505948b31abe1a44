package io.dmarclens.ingest.pipeline;

import io.dmarclens.parser.Bounded;
import java.util.List;
import java.util.Set;

/**
 * What one import of one input did.
 *
 * @param reports         reports newly stored (aggregate, failure and TLS together)
 * @param records         aggregate records newly stored
 * @param duplicates      reports that were already stored and were skipped
 * @param kinds           kinds of report read: {@code aggregate}, {@code failure}, {@code tls}
 * @param unreadableParts parts of the input that should have held a report but could not be read, each
 *                        with its reason; the other parts were still imported (the first
 *                        {@link Bounded#LISTED}, then a count of the rest)
 * @param error           why the input holds no readable report at all (the caller quarantines it), or
 *                        null when at least one report was read
 * @param partialReports  reports among {@code reports} stored as partial because their input stopped before
 *                        their end, each as "source: where and why"
 */
public record ImportOutcome(int reports, long records, int duplicates, Set<String> kinds,
                            List<String> unreadableParts, String error, List<String> partialReports) {
    public ImportOutcome {
        kinds = Set.copyOf(kinds);
        // These grow with what a stranger sent: bounded here, whoever built the outcome.
        unreadableParts = Bounded.list(unreadableParts, Bounded.LISTED, Bounded.PART);
        error = Bounded.text(error, Bounded.REASON);
        partialReports = Bounded.list(partialReports, Bounded.LISTED, Bounded.PART);
    }

    /** An input without any readable report. */
    public static ImportOutcome invalid(String error, List<String> unreadableParts) {
        return new ImportOutcome(0, 0, 0, Set.of(), unreadableParts, error, List.of());
    }

    /** True when no report at all could be read from the input. */
    public boolean isInvalid() {
        return error != null;
    }
}
