package io.dmarclens.ingest.importer;

import java.util.ArrayList;
import java.util.List;

/**
 * The totals of an {@code import} run.
 *
 * @param inputs      files and mbox messages read
 * @param reports     reports newly stored
 * @param records     aggregate records newly stored
 * @param duplicates  reports already stored
 * @param invalid     inputs holding no readable report, each with its reason
 * @param unreadable  parts of otherwise readable inputs that could not be read
 * @param failures    inputs that could not be read at all (I/O) or not stored
 * @param partial     reports among {@code reports} stored as partial: their input stopped before their end
 *                    (a cut-off transfer, a damaged gzip or zip), each with where and why
 */
public record ImportSummary(int inputs, int reports, long records, int duplicates, List<Problem> invalid,
                            List<Problem> unreadable, List<Problem> failures, List<Problem> partial) {
    /** What went wrong with one input. */
    public record Problem(String name, String reason) {
        @Override
        public String toString() {
            return name + ": " + reason;
        }
    }

    public ImportSummary {
        invalid = List.copyOf(invalid);
        unreadable = List.copyOf(unreadable);
        failures = List.copyOf(failures);
        partial = List.copyOf(partial);
    }

    /**
     * The one-line summary, e.g. {@code imported 12 reports (3,400 records), partial 1, duplicates 0, invalid 1}.
     */
    public String line() {
        return String.format("imported %d reports (%d records), partial %d, duplicates %d, invalid %d%s", reports,
                records, partial.size(), duplicates, invalid.size(), failures.isEmpty() ? "" : ", failed " + failures.size());
    }

    /** Mutable totals while the run goes on. */
    static final class Builder {
        int inputs;
        int reports;
        long records;
        int duplicates;
        final List<Problem> invalid = new ArrayList<>();
        final List<Problem> unreadable = new ArrayList<>();
        final List<Problem> failures = new ArrayList<>();
        final List<Problem> partial = new ArrayList<>();

        /** Adds another summary's counts and lists (one file's, in a concurrent run). */
        void add(Builder other) {
            inputs += other.inputs;
            reports += other.reports;
            records += other.records;
            duplicates += other.duplicates;
            invalid.addAll(other.invalid);
            unreadable.addAll(other.unreadable);
            failures.addAll(other.failures);
            partial.addAll(other.partial);
        }

        ImportSummary build() {
            return new ImportSummary(inputs, reports, records, duplicates, invalid, unreadable, failures, partial);
        }
    }
}
