package io.dmarclens.parser.tlsrpt;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.parser.ParseWarning;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Typed reads of one JSON object's members, each saying what it did with a value that is not as
 * RFC 8460 writes it. Locations are JSON paths such as {@code policies[1].failure-details[0].failed-session-count}.
 */
final class TlsJson {
    private final JsonNode object;
    private final String path;
    private final List<ParseWarning> warnings;

    TlsJson(JsonNode object, String path, List<ParseWarning> warnings) {
        this.object = object;
        this.path = path;
        this.warnings = warnings;
    }

    static String child(String parent, String name) {
        return parent == null || parent.isEmpty() ? name : parent + "." + name;
    }

    String path(String member) {
        return child(path, member);
    }

    void warn(String member, String message) {
        warnings.add(new ParseWarning(member == null ? path : path(member), message));
    }

    boolean has(String member) {
        return object.has(member);
    }

    JsonNode node(String member) {
        return object.get(member);
    }

    /** Members this reader does not know are reported, not dropped silently. */
    void warnUnknown(Set<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                warn(name, "unknown member ignored");
            }
        }
    }

    /** A string member; a number or boolean is taken as its text, anything else is null with a warning. */
    String text(String member, boolean required) {
        JsonNode v = object.get(member);
        if (v == null || v.isMissingNode()) {
            if (required) {
                warn(member, "missing (required by RFC 8460)");
            }
            return null;
        }
        if (v.isNull()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isValueNode()) {
            warn(member, "expected a string, found " + kind(v) + " " + v.asText() + ": read as text");
            return v.asText();
        }
        warn(member, "expected a string, found " + kind(v) + ": ignored");
        return null;
    }

    /** A list of strings; a single string is read as a list of one (RFC 8460's own example writes mx-host so). */
    List<String> textList(String member, boolean warnOnSingle) {
        JsonNode v = object.get(member);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isTextual()) {
            if (warnOnSingle) {
                warn(member, "expected a list of strings, found one string: read as a list of one");
            }
            out.add(v.textValue());
            return out;
        }
        if (!v.isArray()) {
            warn(member, "expected a list of strings, found " + kind(v) + ": ignored");
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isTextual()) {
                out.add(e.textValue());
            } else if (e.isValueNode() && !e.isNull()) {
                warn(member + "[" + i + "]", "expected a string, found " + kind(e) + ": read as text");
                out.add(e.asText());
            } else {
                warn(member + "[" + i + "]", "expected a string, found " + kind(e) + ": ignored");
            }
        }
        return out;
    }

    /**
     * A session count: a non-negative integer. A numeric string or a whole decimal is accepted with a
     * warning; a negative, fractional or non-numeric value is read as 0 with a warning, so totals are
     * never skewed by a value we could not read.
     */
    long count(String member, boolean required) {
        JsonNode v = object.get(member);
        if (v == null || v.isNull()) {
            if (required) {
                warn(member, "missing (required by RFC 8460): read as 0");
            }
            return 0;
        }
        BigDecimal n;
        if (v.isNumber()) {
            n = v.decimalValue();
        } else if (v.isTextual() && v.textValue().strip().matches("[+-]?\\d{1,30}")) {
            n = new BigDecimal(v.textValue().strip());
            warn(member, "count written as a string \"" + v.textValue() + "\": read as a number");
        } else {
            warn(member, "not a number (" + kind(v) + (v.isValueNode() ? " " + abbreviate(v.asText()) : "")
                    + "): read as 0");
            return 0;
        }
        if (n.signum() < 0) {
            warn(member, "negative count " + n.toPlainString() + ": read as 0");
            return 0;
        }
        BigInteger whole;
        try {
            whole = n.toBigIntegerExact();
        } catch (ArithmeticException e) {
            warn(member, "fractional count " + n.toPlainString() + ": read as 0");
            return 0;
        }
        if (whole.bitLength() > 63) {
            warn(member, "count " + whole + " is larger than any real session count: read as 0");
            return 0;
        }
        return whole.longValueExact();
    }

    /** An RFC 3339 date-time, read leniently: lower-case t/z, space for T, no zone (UTC), date only, epoch seconds. */
    Instant dateTime(String member) {
        JsonNode v = object.get(member);
        if (v == null || v.isNull()) {
            warn(member, "missing (required by RFC 8460)");
            return null;
        }
        if (v.isIntegralNumber()) {
            warn(member, "epoch seconds instead of an RFC 3339 date-time: read as such");
            return Instant.ofEpochSecond(v.longValue());
        }
        if (!v.isTextual()) {
            warn(member, "expected an RFC 3339 date-time, found " + kind(v) + ": left empty");
            return null;
        }
        String raw = v.textValue().strip();
        String s = raw.toUpperCase(Locale.ROOT).replace(' ', 'T');
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            // lenient shapes below
        }
        try {
            Instant t = LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            warn(member, "date-time \"" + raw + "\" has no time zone: read as UTC");
            return t;
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            Instant t = OffsetDateTime.parse(s.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2")).toInstant();
            warn(member, "date-time \"" + raw + "\" has a zone without a colon: read as RFC 3339");
            return t;
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            Instant t = LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            warn(member, "date \"" + raw + "\" has no time: read as 00:00:00 UTC");
            return t;
        } catch (DateTimeParseException e) {
            warn(member, "unreadable date-time \"" + abbreviate(raw) + "\": left empty");
            return null;
        }
    }

    static String kind(JsonNode v) {
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "a list";
        }
        if (v.isNumber()) {
            return "a number";
        }
        if (v.isBoolean()) {
            return "a boolean";
        }
        if (v.isNull()) {
            return "null";
        }
        return "a string";
    }

    static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
