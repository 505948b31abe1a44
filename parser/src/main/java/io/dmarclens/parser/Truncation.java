package io.dmarclens.parser;

import java.util.Objects;

/**
 * Why a report could not be read to its end: its input stops or breaks before the report does (a
 * transfer cut off, a damaged gzip or zip, XML that ends inside a record). What was read before that
 * point is real and is kept, but the report is <em>partial</em>: a later complete copy of it replaces it.
 *
 * @param reason where the input stops and why, in words a user can act on, e.g.
 *               {@code "gzip stream truncated after 3,000 bytes; the XML ends at line 140, column 9: 6 records read"}
 */
public record Truncation(String reason) {
    public Truncation {
        Objects.requireNonNull(reason, "reason");
    }

    /** This truncation with a further explanation of the same cut (the outer cause first). */
    public Truncation and(String more) {
        return more == null || more.isEmpty() || reason.contains(more) ? this : new Truncation(reason + "; " + more);
    }

    @Override
    public String toString() {
        return reason;
    }
}
