package io.dmarclens.store.ingestlog;

import io.dmarclens.parser.Bounded;
import java.util.List;
import java.util.Set;

/**
 * What processing one message did (the pipeline's import outcome, as the inbox sees it).
 *
 * @param reports         reports newly stored
 * @param records         aggregate records newly stored
 * @param duplicates      reports already stored before
 * @param kinds           kinds of report read: {@code aggregate}, {@code failure}, {@code tls}
 * @param unreadableParts parts that should have held a report but could not be read, with reasons
 * @param error           why the message holds no readable report (it goes to quarantine), or null
 * @param partialReports  reports among {@code reports} stored as partial (their input stopped before their
 *                        end), each as "source: where and why"
 */
public record ProcessingResult(int reports, long records, int duplicates, Set<String> kinds,
                               List<String> unreadableParts, String error, List<String> partialReports) {
    public ProcessingResult {
        kinds = Set.copyOf(kinds);
        // These grow with what a stranger sent: bounded here, whoever built the result.
        unreadableParts = Bounded.list(unreadableParts, Bounded.LISTED, Bounded.PART);
        error = Bounded.text(error, Bounded.REASON);
        partialReports = Bounded.list(partialReports, Bounded.LISTED, Bounded.PART);
    }

    /** A result without partial reports. */
    public ProcessingResult(int reports, long records, int duplicates, Set<String> kinds, List<String> unreadableParts,
                            String error) {
        this(reports, records, duplicates, kinds, unreadableParts, error, List.of());
    }

    public static ProcessingResult invalid(String error) {
        return new ProcessingResult(0, 0, 0, Set.of(), List.of(), error, List.of());
    }

    /** The status this result gives the message in the ingest log. */
    public IngestStatus status() {
        if (error != null) {
            return IngestStatus.QUARANTINED;
        }
        return reports == 0 && duplicates > 0 ? IngestStatus.DUPLICATE : IngestStatus.STORED;
    }
}
