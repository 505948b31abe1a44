package io.dmarclens.index.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.SpfAuthResult;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON encoding of list-valued columns. Auth results and reasons are stored as compact arrays of
 * arrays (e.g. {@code [["example.com","s1","pass","pass",null]]}) so that 5 million records stay small;
 * SQLite's {@code json_each} can still look inside them.
 */
public final class JsonColumns {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, List<String>>> FIELDS = new TypeReference<>() { };

    private JsonColumns() {
    }

    // The three encoders below run for every record imported: written by hand, not through ObjectMapper.

    public static String dkim(List<DkimAuthResult> results) {
        if (results.isEmpty()) {
            return "[]";
        }
        StringBuilder b = new StringBuilder(48 * results.size()).append('[');
        for (DkimAuthResult r : results) {
            row(b, r.domain(), r.selector(), token(r.result()), r.rawResult(), r.humanResult());
        }
        return b.append(']').toString();
    }

    public static String spf(List<SpfAuthResult> results) {
        if (results.isEmpty()) {
            return "[]";
        }
        StringBuilder b = new StringBuilder(48 * results.size()).append('[');
        for (SpfAuthResult r : results) {
            row(b, r.domain(), r.scope(), token(r.result()), r.rawResult(), r.humanResult());
        }
        return b.append(']').toString();
    }

    public static String reasons(List<PolicyOverrideReason> reasons) {
        if (reasons.isEmpty()) {
            return "[]";
        }
        StringBuilder b = new StringBuilder(32 * reasons.size()).append('[');
        for (PolicyOverrideReason r : reasons) {
            row(b, r.type() == null ? null : r.type().token(), r.rawType(), r.comment());
        }
        return b.append(']').toString();
    }

    // The rows below are what rows(json) reads back from the three encodings above, without the JSON.

    /** The DKIM results as {@link #rows(String)} reads back {@link #dkim(List)}. */
    public static List<String[]> dkimRows(List<DkimAuthResult> results) {
        List<String[]> out = new ArrayList<>(results.size());
        for (DkimAuthResult r : results) {
            out.add(new String[]{r.domain(), r.selector(), token(r.result()), r.rawResult(), r.humanResult()});
        }
        return out;
    }

    /** The SPF results as {@link #rows(String)} reads back {@link #spf(List)}. */
    public static List<String[]> spfRows(List<SpfAuthResult> results) {
        List<String[]> out = new ArrayList<>(results.size());
        for (SpfAuthResult r : results) {
            out.add(new String[]{r.domain(), r.scope(), token(r.result()), r.rawResult(), r.humanResult()});
        }
        return out;
    }

    /** The override reasons as {@link #rows(String)} reads back {@link #reasons(List)}. */
    public static List<String[]> reasonRows(List<PolicyOverrideReason> reasons) {
        List<String[]> out = new ArrayList<>(reasons.size());
        for (PolicyOverrideReason r : reasons) {
            out.add(new String[]{r.type() == null ? null : r.type().token(), r.rawType(), r.comment()});
        }
        return out;
    }

    private static void row(StringBuilder b, String... values) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            string(b, values[i]);
        }
        b.append(']');
    }

    /** A JSON string literal (RFC 8259 escaping), or null. */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    public static List<DkimAuthResult> dkim(String json) {
        List<DkimAuthResult> out = new ArrayList<>();
        for (String[] a : rows(json)) {
            out.add(new DkimAuthResult(a[0], a[1], authResult(a[2]), a[3], a[4]));
        }
        return out;
    }

    public static List<SpfAuthResult> spf(String json) {
        List<SpfAuthResult> out = new ArrayList<>();
        for (String[] a : rows(json)) {
            out.add(new SpfAuthResult(a[0], a[1], authResult(a[2]), a[3], a[4]));
        }
        return out;
    }

    public static List<PolicyOverrideReason> reasons(String json) {
        List<PolicyOverrideReason> out = new ArrayList<>();
        for (String[] a : rows(json)) {
            out.add(new PolicyOverrideReason(a[0] == null ? null : PolicyOverride.valueOf(a[0].toUpperCase(Locale.ROOT)),
                    a[1], a[2]));
        }
        return out;
    }

    public static String strings(List<String> values) {
        // Nearly always empty (a report's <error> list): skip Jackson's serializer lookup for it.
        return values.isEmpty() ? "[]" : write(values);
    }

    public static List<String> strings(String json) {
        if (json == null || json.isEmpty()) {
            return List.of();
        }
        try {
            return MAPPER.readValue(json, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    public static String fields(Map<String, List<String>> fields) {
        return write(fields);
    }

    public static Map<String, List<String>> fields(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, FIELDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    /** Any value as JSON (used for header lists). */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a column as JSON", e);
        }
    }

    public static List<String[]> rows(String json) {
        if (json == null || json.length() <= 2) {
            return Collections.emptyList();
        }
        try {
            return List.of(MAPPER.readValue(json, String[][].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column: " + e.getOriginalMessage(), e);
        }
    }

    private static String token(AuthResult r) {
        return r == null ? null : r.token();
    }

    private static AuthResult authResult(String token) {
        return token == null ? null : AuthResult.valueOf(token.toUpperCase(Locale.ROOT));
    }
}
