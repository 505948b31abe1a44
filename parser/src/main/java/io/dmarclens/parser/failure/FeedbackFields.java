package io.dmarclens.parser.failure;

import io.dmarclens.parser.ParseWarning;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The header-like fields of a {@code message/feedback-report} part, names in lower case, in order,
 * every value of a repeated field kept. Read line by line rather than with a header parser because
 * reporters put blank lines between fields, which would end a mail header.
 */
final class FeedbackFields {
    private static final Pattern FIELD = Pattern.compile("([!-9;-~]+)[ \\t]*:(.*)");

    private FeedbackFields() {
    }

    static Map<String, List<String>> parse(String text, int maxValueLength, String location,
                                           List<ParseWarning> warnings) {
        Map<String, List<String>> fields = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && name != null) {
                value.append(' ').append(line.strip());
                continue;
            }
            var m = FIELD.matcher(line);
            if (m.matches()) {
                add(fields, name, value, maxValueLength, location, warnings);
                name = m.group(1);
                value.setLength(0);
                value.append(m.group(2).strip());
            } else {
                warnings.add(new ParseWarning(location + " line " + (i + 1),
                        "not a 'Name: value' field, ignored: '" + abbreviate(line) + "'"));
            }
        }
        add(fields, name, value, maxValueLength, location, warnings);
        return fields;
    }

    private static final Pattern FEEDBACK_TYPE = Pattern.compile("(?im)^feedback-type[ \\t]*:");
    /** Field names of the IANA "Feedback Report Header Fields" registry that only a feedback report uses. */
    private static final java.util.Set<String> ARF_NAMES = java.util.Set.of("feedback-type", "user-agent",
            "arrival-date", "received-date", "source-ip", "original-mail-from", "original-rcpt-to",
            "original-envelope-id", "reported-domain", "reported-uri", "reporting-mta", "auth-failure",
            "identity-alignment", "delivery-result", "dkim-domain", "dkim-selector", "dkim-identity", "spf-dns",
            "incidents");

    /**
     * True when {@code text} reads as a feedback report: it holds a Feedback-Type field, or it is made
     * of fields only and at least two of them are feedback report fields (reporters that leave out
     * Feedback-Type).
     */
    static boolean looksLikeFeedbackReport(String text) {
        if (FEEDBACK_TYPE.matcher(text).find()) {
            return true;
        }
        int lines = 0;
        int fieldLines = 0;
        java.util.Set<String> arfNames = new java.util.HashSet<>();
        for (String line : text.split("\r\n|\r|\n")) {
            if (line.isBlank()) {
                continue;
            }
            lines++;
            var m = FIELD.matcher(line);
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                fieldLines++;
            } else if (m.matches()) {
                fieldLines++;
                String name = m.group(1).toLowerCase(Locale.ROOT);
                if (ARF_NAMES.contains(name)) {
                    arfNames.add(name);
                }
            }
        }
        return arfNames.size() >= 2 && fieldLines * 10 >= lines * 8;
    }

    private static void add(Map<String, List<String>> fields, String name, StringBuilder value, int max,
                            String location, List<ParseWarning> warnings) {
        if (name == null) {
            return;
        }
        String v = value.toString().strip();
        if (v.length() > max) {
            warnings.add(new ParseWarning(location + "/" + name,
                    "value of " + v.length() + " characters cut to " + max + " (maxTextLength)"));
            v = v.substring(0, max);
        }
        fields.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(v);
    }

    static String abbreviate(String s) {
        String t = s.strip();
        return t.length() <= 60 ? t : t.substring(0, 57) + "...";
    }
}
