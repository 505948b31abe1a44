package io.dmarclens.web;

/**
 * Whether the dashboard's figures count aggregate reports that were mailed in without a verified origin
 * (no valid DKIM signature aligned with the reporter's domain): setting {@code reports.exclude_unverified}.
 * Such reports are marked in the lists either way, and counted on the Ingest page.
 */
public enum UnverifiedReports {
    /** Counted like every other report (the default: most reporters sign, but not all). */
    INCLUDED,
    /** Left out of every figure, list and export. */
    EXCLUDED
}
