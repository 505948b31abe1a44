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
 * @param partial          reports among those stored that could not be read to their end
 * @param superseded       reports among those stored that replaced a partial copy read less far
 */
public record ImportResult(int aggregateReports, long records, long messages, int failureReports,
                           int tlsReports, int duplicates, int aborted, int partial, int superseded) {
    /** Reports of all kinds stored. */
    public int reports() {
        return aggregateReports + failureReports + tlsReports;
    }
}
