package io.dmarclens.index.store;

import io.dmarclens.parser.aggregate.AggregateRecord;

/**
 * An aggregate record as the import wrote it into {@code aggregate_record}, handed to the search index
 * once its transaction is committed, so that the index need not read it back from the database. Every
 * value is the one bound to the row's column (see {@link SqliteImportBatch}); the raw auth results and reasons
 * are those of {@code record}, which the JSON columns encode.
 *
 * @param id                   the row id
 * @param report               the row's report
 * @param record               the record as parsed
 * @param sourceIp             column {@code source_ip}
 * @param disposition          column {@code disposition} (a token, or empty)
 * @param dkim                 column {@code dkim}
 * @param spf                  column {@code spf}
 * @param headerFrom           column {@code header_from}
 * @param envelopeFrom         column {@code envelope_from}, or null
 * @param envelopeTo           column {@code envelope_to}, or null
 * @param dmarcPass            column {@code dmarc_pass}
 * @param classification       column {@code classification} (a token, or empty)
 * @param classificationReason column {@code classification_reason}, or null
 */
public record CommittedRecord(long id, Report report, AggregateRecord record, String sourceIp, String disposition,
                              String dkim, String spf, String headerFrom, String envelopeFrom, String envelopeTo,
                              boolean dmarcPass, String classification, String classificationReason) {
    /**
     * The columns of the record's {@code aggregate_report} row that search documents hold ({@code authenticity}:
     * the verdict's code).
     */
    public record Report(long id, String reporter, String reporterEmail, String policyDomain, long begin,
                         String authenticity) {
    }
}
