package io.dmarclens.store;

/**
 * What one {@link ImportBatch} stored.
 *
 * @param aggregateReports aggregate reports stored
 * @param records          aggregate records stored
 * @param messages         messages those records count
 * @param failureReports   failure reports stored
 * @param tlsReports       TLS reports stored
 * @param duplicates       reports of any kind not stored because they were already there
 * @param aborted          aggregate reports discarded through {@link ImportBatch#abortAggregate(String)}
 */
public record ImportResult(int aggregateReports, long records, long messages, int failureReports,
                           int tlsReports, int duplicates, int aborted) {
    /** Reports of all kinds stored. */
    public int reports() {
        return aggregateReports + failureReports + tlsReports;
    }
}
