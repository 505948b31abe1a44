package io.dmarclens.parser.failure;

import java.io.StringReader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.apache.james.mime4j.field.datetime.parser.DateTimeParser;

/**
 * Reads the dates failure reports carry (Arrival-Date, Received-Date, "Received Date:" lines).
 * RFC 5322 first, with its obsolete zones and comments (mime4j's grammar: "Thu, 8 Mar 2005 14:00:00 EDT",
 * "8 Oct 2011 20:15:58 +0000 (GMT)"), then the ISO 8601 shapes some generators write instead.
 */
final class MailDates {
    private static final List<DateTimeFormatter> ISO_WITH_OFFSET = List.of(
            DateTimeFormatter.ISO_OFFSET_DATE_TIME,
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS] XX"),
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]XXX"));

    /** C's asctime(), written by some appliances: "Sat Nov 21 07:20:11 2026", no zone. */
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy",
            java.util.Locale.ENGLISH);

    private MailDates() {
    }

    /** The instant written in {@code text}, or empty when it is not a date this reader knows. */
    static Optional<Instant> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        // Trailing sentence punctuation comes from dates quoted in prose ("... on Fri, 28 Sep 2018 16:48:42 +0800.").
        String s = text.strip().replaceAll("[.;,]+$", "").strip();
        if (s.isEmpty() || s.length() > 200) {
            return Optional.empty();
        }
        try {
            return Optional.of(new DateTimeParser(new StringReader(s)).parseAll().getDate().toInstant());
        } catch (Exception | org.apache.james.mime4j.field.datetime.parser.TokenMgrError e) {
            // not RFC 5322: try ISO 8601 below
        }
        for (DateTimeFormatter f : ISO_WITH_OFFSET) {
            try {
                return Optional.of(OffsetDateTime.parse(s, f).toInstant());
            } catch (DateTimeParseException e) {
                // next shape
            }
        }
        try {
            return Optional.of(LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            // next shape
        }
        try {
            return Optional.of(LocalDateTime.parse(s.replaceAll("\\s+", " "), ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** True when the date had no zone and was read as UTC (worth a warning). */
    static boolean lacksZone(String text) {
        String s = text == null ? "" : text.strip();
        return s.matches("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?")
                || s.matches("[A-Za-z]{3} [A-Za-z]{3} +\\d{1,2} \\d{2}:\\d{2}:\\d{2} \\d{4}");
    }
}
