package io.dmarclens.opensearch;

/**
 * What the embedded store's fine rollup rows are keyed by: one report's messages are summed per key and
 * split over its days per key ({@link DaySplit}), so that both stores give the same day figures.
 */
record RollupKey(String policyDomain, String headerFrom, String sourceIp, String reporter, String disposition,
                 String dkim, String spf, boolean dkimAligned, boolean spfAligned, boolean dmarcPass,
                 String classification, String reasonTypes, boolean unverified) {
}
