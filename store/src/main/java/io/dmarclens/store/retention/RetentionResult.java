package io.dmarclens.store.retention;

/**
 * What one retention run deleted.
 *
 * @param rawSourcesCleared raw sources whose bytes were deleted
 * @param aggregateReports  aggregate reports deleted
 * @param records           their records
 * @param failureReports    failure reports deleted
 * @param tlsReports        TLS reports deleted
 * @param sourceFiles       source rows deleted because no report referred to them any more
 */
public record RetentionResult(int rawSourcesCleared, int aggregateReports, long records, int failureReports,
                              int tlsReports, int sourceFiles) {
}
