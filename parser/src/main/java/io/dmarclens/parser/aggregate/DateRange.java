package io.dmarclens.parser.aggregate;

/**
 * A report period in UTC epoch seconds, as the reporter wrote it (end may be inclusive, as Google and
 * Yahoo write it, or exclusive, as Microsoft writes it).
 */
public record DateRange(long begin, long end) {
}
