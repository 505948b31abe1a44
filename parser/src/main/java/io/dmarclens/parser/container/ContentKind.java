package io.dmarclens.parser.container;

/** What a payload's first bytes say it is. Decided by content only, never by name or media type. */
public enum ContentKind {
    /** No bytes at all. */
    EMPTY,
    /** {@code 1f 8b}. */
    GZIP,
    /** {@code PK\3\4}: a zip archive with members. */
    ZIP,
    /** {@code PK\5\6}: a zip archive with no members at all. */
    EMPTY_ZIP,
    /** {@code <} after an optional byte-order mark and white space, and not an HTML page. */
    XML,
    /** An HTML page: a mail's human-readable part, never a report. */
    HTML,
    /** <code>{</code> after an optional byte-order mark and white space. */
    JSON,
    /** RFC 5322 header lines (optionally after an mbox {@code From } line). */
    MAIL,
    /** Base64 text whose decoded start is one of the kinds above. */
    BASE64,
    /** Anything else. */
    UNKNOWN;

    /** True for the kinds that may hold a report, directly or inside. */
    public boolean mayHoldReport() {
        return this != EMPTY && this != HTML && this != UNKNOWN;
    }
}
