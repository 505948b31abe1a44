package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchQuery;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed search ({@link SearchQuery}) as OpenSearch Query DSL over the {@code search} object of the
 * record, failure report and TLS failure documents ({@link SearchDocs}), matching what the embedded store's
 * Lucene queries match: keyword values are stored lower-cased, so values are lower-cased here as Lucene's
 * analyzer lower-cases them ({@code term}, {@code prefix}, {@code wildcard}, {@code fuzzy}, {@code regexp},
 * {@code range}); text fields go through the {@code standard} analyzer ({@code match} with AND,
 * {@code match_phrase}); addresses are {@code term} (CIDR) and {@code range} on the {@code ip} field; days
 * a {@code range} on the date. Boolean groups follow Lucene's rules (a group of exclusions only matches
 * nothing; a value with no words drops out of its group).
 */
final class SearchTranslator {
    /** Wildcards and escaped characters pass unchanged; the text between them is lower-cased. */
    private static final Pattern WILDCARD_PATTERN = Pattern.compile("(\\\\.)|([?*]+)");
    // OpenSearch dates are milliseconds in a long: days beyond are open ends (no document is dated there).
    private static final long MAX_SECOND = Long.MAX_VALUE / 1000 - 1;
    private static final long MIN_SECOND = Long.MIN_VALUE / 1000 + 1;

    private final JsonNodeFactory json = JsonNodeFactory.instance;

    /** The query, matching nothing when nothing is left of it (as Lucene's empty query). */
    ObjectNode query(SearchQuery q) {
        ObjectNode out = translate(q);
        return out != null ? out : matchNone();
    }

    /** The DSL of a node, or null when it drops out (text with no words to look for). */
    ObjectNode translate(SearchQuery q) {
        if (q instanceof SearchQuery.Bool b) {
            return bool(b);
        } else if (q instanceof SearchQuery.AnyOf any) {
            return anyOf(any);
        } else if (q instanceof SearchQuery.Term t) {
            return term(t.field(), t.text(), false, 0);
        } else if (q instanceof SearchQuery.Phrase p) {
            return term(p.field(), p.text(), true, p.slop());
        } else if (q instanceof SearchQuery.Prefix p) {
            return leaf("prefix", p.field(), json.objectNode().put("value", lower(p.prefix())));
        } else if (q instanceof SearchQuery.Wildcard w) {
            return leaf("wildcard", w.field(), json.objectNode().put("value", wildcard(w.pattern())));
        } else if (q instanceof SearchQuery.Fuzzy f) {
            return leaf("fuzzy", f.field(), json.objectNode().put("value", lower(f.text()))
                    .put("fuzziness", f.maxEdits()).put("prefix_length", 0).put("max_expansions", 50)
                    .put("transpositions", true));
        } else if (q instanceof SearchQuery.Regexp r) {
            return leaf("regexp", r.field(), json.objectNode().put("value", lower(r.pattern())).put("flags", "ALL"));
        } else if (q instanceof SearchQuery.TermRange r) {
            return termRange(r);
        } else if (q instanceof SearchQuery.AddressPrefix a) {
            String value = a.single() ? a.address().getHostAddress()
                    : network(a.address(), a.prefixLength()).getHostAddress() + "/" + a.prefixLength();
            return leaf("term", SearchField.IP, json.objectNode().put("value", value));
        } else if (q instanceof SearchQuery.AddressRange r) {
            if (Arrays.compareUnsigned(sixteen(r.lower()), sixteen(r.upper())) > 0) {
                return matchNone();
            }
            return leaf("range", SearchField.IP, json.objectNode().put("gte", r.lower().getHostAddress())
                    .put("lte", r.upper().getHostAddress()));
        } else if (q instanceof SearchQuery.DateRange d) {
            return dateRange(d);
        } else if (q instanceof SearchQuery.MatchNone) {
            return matchNone();
        }
        throw new IllegalArgumentException("unknown query node " + q);
    }

    private ObjectNode bool(SearchQuery.Bool b) {
        List<ObjectNode> translated = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        for (SearchQuery.Clause c : b.clauses()) {
            ObjectNode q = translate(c.query());
            translated.add(q);
            present.add(q != null);
        }
        if (b.standsForFirst(present)) {
            return translated.get(0);
        }
        List<SearchQuery.Occur> occurs = b.occurs(present);
        ObjectNode bool = json.objectNode();
        int positive = 0;
        int must = 0;
        int any = 0;
        for (int i = 0; i < translated.size(); i++) {
            ObjectNode q = translated.get(i);
            if (q == null) {
                continue;
            }
            any++;
            switch (occurs.get(i)) {
                case MUST -> {
                    bool.withArray("must").add(q);
                    positive++;
                    must++;
                }
                case SHOULD -> {
                    bool.withArray("should").add(q);
                    positive++;
                }
                case MUST_NOT -> bool.withArray("must_not").add(q);
                default -> throw new IllegalStateException();
            }
        }
        if (any == 0) {
            return null;
        }
        if (positive == 0) {
            return matchNone(); // Lucene: a group of exclusions only matches nothing
        }
        // With a required clause the optional ones only score (Lucene); without, one of them must match.
        bool.put("minimum_should_match", must > 0 ? 0 : 1);
        ObjectNode out = json.objectNode();
        out.set("bool", bool);
        return out;
    }

    private ObjectNode anyOf(SearchQuery.AnyOf any) {
        ArrayNode should = json.arrayNode();
        for (SearchQuery each : any.queries()) {
            ObjectNode q = translate(each);
            if (q != null) {
                should.add(q);
            }
        }
        if (should.isEmpty()) {
            return null;
        }
        ObjectNode out = json.objectNode();
        ObjectNode bool = out.putObject("bool");
        bool.set("should", should);
        bool.put("minimum_should_match", 1);
        return out;
    }

    /** A value of a keyword field is one whole term; a text field's value is words (all of them, or a phrase). */
    private ObjectNode term(SearchField field, String text, boolean phrase, int slop) {
        if (field.kind() != SearchField.Kind.TEXT) {
            return leaf("term", field, json.objectNode().put("value", lower(text)));
        }
        if (!hasWords(text)) {
            return null;
        }
        if (field == SearchField.ALL) {
            return matchNone();
        }
        if (phrase) {
            return leaf("match_phrase", field, json.objectNode().put("query", text).put("slop", Math.max(0, slop)));
        }
        return leaf("match", field, json.objectNode().put("query", text).put("operator", "and"));
    }

    private ObjectNode termRange(SearchQuery.TermRange r) {
        if (r.field() == SearchField.ALL) {
            return matchNone(); // no document holds the field "all"
        }
        if (r.lower() == null && r.upper() == null) {
            ObjectNode out = json.objectNode();
            out.putObject("exists").put("field", path(r.field()));
            return out;
        }
        ObjectNode range = json.objectNode();
        if (r.lower() != null) {
            range.put(r.includeLower() ? "gte" : "gt", lower(r.lower()));
        }
        if (r.upper() != null) {
            range.put(r.includeUpper() ? "lte" : "lt", lower(r.upper()));
        }
        return leaf("range", r.field(), range);
    }

    private ObjectNode dateRange(SearchQuery.DateRange d) {
        if (d.fromSecond() > MAX_SECOND || d.toSecond() < MIN_SECOND) {
            return matchNone();
        }
        ObjectNode range = json.objectNode();
        if (d.fromSecond() > MIN_SECOND) {
            range.put("gte", d.fromSecond());
        }
        if (d.toSecond() < MAX_SECOND) {
            range.put("lte", d.toSecond());
        }
        if (range.isEmpty()) {
            ObjectNode out = json.objectNode();
            out.putObject("exists").put("field", path(SearchField.DATE));
            return out;
        }
        range.put("format", "epoch_second");
        return leaf("range", SearchField.DATE, range);
    }

    private ObjectNode leaf(String type, SearchField field, ObjectNode params) {
        ObjectNode out = json.objectNode();
        out.putObject(type).set(path(field), params);
        return out;
    }

    private ObjectNode matchNone() {
        ObjectNode out = json.objectNode();
        out.putObject("match_none");
        return out;
    }

    static String path(SearchField field) {
        return SearchDocs.FIELD + "." + field.fieldName();
    }

    /** Lower case as Lucene's LowerCaseFilter makes it: code point by code point. */
    static String lower(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().map(Character::toLowerCase).forEach(out::appendCodePoint);
        return out.toString();
    }

    /** Whether the standard analyzer finds a word in the text (letters, digits, ideographs, emoji). */
    static boolean hasWords(String text) {
        return text.codePoints().anyMatch(c -> Character.isLetterOrDigit(c)
                || Character.getType(c) == Character.OTHER_SYMBOL);
    }

    private static String wildcard(String pattern) {
        Matcher m = WILDCARD_PATTERN.matcher(pattern);
        StringBuilder sb = new StringBuilder();
        int last = 0;
        while (m.find()) {
            if (m.start() > 0) {
                sb.append(lower(pattern.substring(last, m.start())));
            }
            sb.append(m.group());
            last = m.end();
        }
        if (last < pattern.length()) {
            sb.append(lower(pattern.substring(last)));
        }
        return sb.toString();
    }

    private static byte[] sixteen(InetAddress a) {
        byte[] raw = a.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] out = new byte[16];
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(raw, 0, out, 12, 4);
        return out;
    }

    /** The block's first address: the host bits of {@code a} cleared. */
    private static InetAddress network(InetAddress a, int prefixLength) {
        byte[] b = a.getAddress();
        for (int bit = prefixLength; bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
