package io.dmarclens.index.search;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Text fields analysed once per distinct value. A record's reporter, classification reason and sender
 * name are the same few hundred strings across millions of records, so running the tokenizer on each
 * copy is wasted work: the tokens are kept (a bounded cache) and replayed into the index. The documents
 * are the same as with the analyzer itself. Used on the indexer thread only.
 */
final class TextTokens {
    private static final int MAX_ENTRIES = 20_000;
    private static final int MAX_CACHED_LENGTH = 512;

    private final Analyzer analyzer;
    private final LruCache<String, Tokens> cache = new LruCache<>(MAX_ENTRIES);

    TextTokens(Analyzer analyzer) {
        this.analyzer = analyzer;
    }

    /** A field indexed as {@link TextField} would index {@code value}. */
    Field field(String name, String value) {
        if (value.length() > MAX_CACHED_LENGTH) {
            return new TextField(name, value, Field.Store.NO); // long free text rarely repeats
        }
        return new TokensField(name, cache.get(value, v -> analyse(name, v)));
    }

    // Every text field uses the same analyzer, so the tokens of a value do not depend on the field.
    private Tokens analyse(String field, String value) {
        try (TokenStream ts = analyzer.tokenStream(field, value)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            PositionIncrementAttribute inc = ts.addAttribute(PositionIncrementAttribute.class);
            List<String> terms = new ArrayList<>();
            List<Integer> incs = new ArrayList<>();
            ts.reset();
            while (ts.incrementToken()) {
                terms.add(term.toString());
                incs.add(inc.getPositionIncrement());
            }
            ts.end();
            return new Tokens(terms.toArray(String[]::new), incs.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a string
        }
    }

    private record Tokens(String[] terms, int[] increments) {
    }

    /** A text field whose tokens are known; it hands the indexer a reused stream over them. */
    private static final class TokensField extends Field {
        private final Tokens tokens;

        TokensField(String name, Tokens tokens) {
            super(name, TextField.TYPE_NOT_STORED);
            this.tokens = tokens;
        }

        @Override
        public TokenStream tokenStream(Analyzer analyzer, TokenStream reuse) {
            ReplayStream stream = reuse instanceof ReplayStream r ? r : new ReplayStream();
            stream.tokens = tokens;
            return stream;
        }
    }

    private static final class ReplayStream extends TokenStream {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final PositionIncrementAttribute increment = addAttribute(PositionIncrementAttribute.class);
        private Tokens tokens;
        private int next;

        @Override
        public void reset() throws IOException {
            super.reset();
            next = 0;
        }

        @Override
        public boolean incrementToken() {
            if (next >= tokens.terms().length) {
                return false;
            }
            clearAttributes();
            term.setEmpty().append(tokens.terms()[next]);
            increment.setPositionIncrement(tokens.increments()[next]);
            next++;
            return true;
        }
    }
}
