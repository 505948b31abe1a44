package io.dmarclens.parser;

import java.util.List;

/**
 * What one input gave: how many reports were delivered, how many aggregate records and messages they
 * held, and which parts could not be read (each also went to {@link ReportHandler#unreadable}).
 *
 * @param reports    reports delivered (aggregate, failure and TLS)
 * @param records    aggregate records in the delivered reports
 * @param messages   the sum of those records' message counts
 * @param unreadable parts that should have held a report but could not be read
 * @param partial    reports among {@code reports} that could not be read to their end (see {@link Truncation})
 */
public record ParseSummary(int reports, long records, long messages, List<UnreadablePart> unreadable, int partial) {
    public ParseSummary {
        unreadable = List.copyOf(unreadable);
    }

    /** A part of the input that could not be read, and why. */
    public record UnreadablePart(ReportSource source, String reason) {
        @Override
        public String toString() {
            return source + ": " + reason;
        }
    }
}
