package io.dmarclens.index.search;

import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchQuery;
import io.dmarclens.store.search.SearchQueryParser;
import io.dmarclens.store.search.SearchSyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RegexpQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.automaton.Operations;

/**
 * The embedded store's half of search: a {@link SearchQuery} (parsed once, in the store module, for every
 * store) as Lucene queries over the documents of {@link SearchDocuments}. Keyword fields are analysed
 * whole and lower-cased, text fields with Lucene's StandardAnalyzer; values go through the same analyzer
 * as at indexing, so a query finds what it found when Lucene's classic parser built it.
 */
final class LuceneQueries {
    /** Wildcards and escaped characters pass unchanged; the text between them is lower-cased. */
    private static final Pattern WILDCARD_PATTERN = Pattern.compile("(\\\\.)|([?*]+)");

    private final Analyzer analyzer;
    private final QueryBuilder builder;

    LuceneQueries(Analyzer analyzer) {
        this.analyzer = analyzer;
        this.builder = new QueryBuilder(analyzer);
    }

    /** The analyzer used for indexing and queries: keyword fields whole and lower-cased, text fields by word. */
    static Analyzer analyzer() {
        Analyzer keyword = new Analyzer() {
            @Override
            protected TokenStreamComponents createComponents(String fieldName) {
                KeywordTokenizer source = new KeywordTokenizer();
                return new TokenStreamComponents(source, new LowerCaseFilter(source));
            }

            @Override
            protected TokenStream normalize(String fieldName, TokenStream in) {
                return new LowerCaseFilter(in);
            }
        };
        Map<String, Analyzer> perField = new HashMap<>();
        for (SearchField field : SearchField.values()) {
            if (field.kind() != SearchField.Kind.TEXT) {
                perField.put(field.fieldName(), keyword);
            }
        }
        return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), perField);
    }

    /**
     * Parses and translates a user's query.
     *
     * @throws SearchSyntaxException when the query cannot be read, or cannot be built (a bad regular
     *                               expression, too many clauses)
     */
    Query parse(String queryText) throws SearchSyntaxException {
        SearchQuery parsed = SearchQueryParser.parse(queryText);
        try {
            Query q = translate(parsed);
            return q != null ? q : new BooleanQuery.Builder().build();
        } catch (IndexSearcher.TooManyClauses e) {
            throw new SearchSyntaxException(queryText, SearchQueryParser.TOO_MANY_TERMS);
        } catch (RuntimeException e) {
            // Lucene refuses some values only when it builds the query (a regular expression that is not
            // one, a negative phrase slop): the user's input, not a bug.
            throw new SearchSyntaxException(queryText, "cannot read the search query: " + e.getMessage());
        }
    }

    /** The Lucene query, or null when nothing is left of it (text of no words: the clause drops out). */
    Query translate(SearchQuery query) {
        if (query instanceof SearchQuery.Bool b) {
            return bool(b);
        } else if (query instanceof SearchQuery.AnyOf any) {
            return anyOf(any);
        } else if (query instanceof SearchQuery.Term t) {
            return builder.createBooleanQuery(t.field().fieldName(), t.text(), BooleanClause.Occur.MUST);
        } else if (query instanceof SearchQuery.Phrase p) {
            return builder.createPhraseQuery(p.field().fieldName(), p.text(), p.slop());
        } else if (query instanceof SearchQuery.Prefix p) {
            return new PrefixQuery(new Term(p.field().fieldName(), normalize(p.field(), p.prefix())),
                    MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
        } else if (query instanceof SearchQuery.Wildcard w) {
            return new WildcardQuery(new Term(w.field().fieldName(), wildcard(w.field(), w.pattern())),
                    Operations.DEFAULT_DETERMINIZE_WORK_LIMIT, MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
        } else if (query instanceof SearchQuery.Fuzzy f) {
            return new FuzzyQuery(new Term(f.field().fieldName(), normalize(f.field(), f.text())), f.maxEdits(), 0);
        } else if (query instanceof SearchQuery.Regexp r) {
            return new RegexpQuery(new Term(r.field().fieldName(), normalize(r.field(), r.pattern())));
        } else if (query instanceof SearchQuery.TermRange r) {
            return new TermRangeQuery(r.field().fieldName(),
                    r.lower() == null ? null : normalize(r.field(), r.lower()),
                    r.upper() == null ? null : normalize(r.field(), r.upper()), r.includeLower(), r.includeUpper(),
                    MultiTermQuery.CONSTANT_SCORE_BLENDED_REWRITE);
        } else if (query instanceof SearchQuery.AddressPrefix a) {
            return a.single() ? InetAddressPoint.newExactQuery(SearchFields.IP, a.address())
                    : InetAddressPoint.newPrefixQuery(SearchFields.IP, a.address(), a.prefixLength());
        } else if (query instanceof SearchQuery.AddressRange r) {
            return InetAddressPoint.newRangeQuery(SearchFields.IP, r.lower(), r.upper());
        } else if (query instanceof SearchQuery.DateRange d) {
            return LongPoint.newRangeQuery(SearchFields.DATE, d.fromSecond(), d.toSecond());
        } else if (query instanceof SearchQuery.MatchNone m) {
            return new MatchNoDocsQuery(m.reason());
        }
        throw new IllegalArgumentException("unknown query node " + query);
    }

    /** Lucene's rules for the clauses left once those with nothing to look for dropped out. */
    private Query bool(SearchQuery.Bool b) {
        List<Query> translated = new ArrayList<>();
        List<Boolean> present = new ArrayList<>();
        for (SearchQuery.Clause c : b.clauses()) {
            Query q = translate(c.query());
            translated.add(q);
            present.add(q != null);
        }
        if (b.standsForFirst(present)) {
            return translated.get(0);
        }
        List<SearchQuery.Occur> occurs = b.occurs(present);
        BooleanQuery.Builder out = new BooleanQuery.Builder();
        int added = 0;
        for (int i = 0; i < translated.size(); i++) {
            if (translated.get(i) != null) {
                out.add(translated.get(i), BooleanClause.Occur.valueOf(occurs.get(i).name()));
                added++;
            }
        }
        return added == 0 ? null : out.build();
    }

    private Query anyOf(SearchQuery.AnyOf any) {
        BooleanQuery.Builder out = new BooleanQuery.Builder();
        int added = 0;
        for (SearchQuery each : any.queries()) {
            Query q = translate(each);
            if (q != null) {
                out.add(q, BooleanClause.Occur.SHOULD);
                added++;
            }
        }
        return added == 0 ? null : out.build();
    }

    private BytesRef normalize(SearchField field, String text) {
        return analyzer.normalize(field.fieldName(), text);
    }

    /** Lower-cases the text between wildcards; the wildcards and escaped characters stay as typed. */
    private BytesRef wildcard(SearchField field, String pattern) {
        Matcher m = WILDCARD_PATTERN.matcher(pattern);
        BytesRefBuilder sb = new BytesRefBuilder();
        int last = 0;
        while (m.find()) {
            if (m.start() > 0) {
                sb.append(normalize(field, pattern.substring(last, m.start())));
            }
            sb.append(new BytesRef(m.group()));
            last = m.end();
        }
        if (last < pattern.length()) {
            sb.append(normalize(field, pattern.substring(last)));
        }
        return sb.toBytesRef();
    }
}
