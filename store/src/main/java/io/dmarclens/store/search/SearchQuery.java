package io.dmarclens.store.search;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A search query as {@link SearchQueryParser} reads it: an immutable tree that each store translates to
 * its own engine's queries. Field names are resolved, addresses and days parsed, a value without a field
 * expanded over every field; what is left to a store is how its index matches a value (keyword fields
 * compare whole values ignoring case, text fields words, see {@link SearchField.Kind}).
 */
public sealed interface SearchQuery {

    /** How a clause takes part in a group once the group is resolved, as in Lucene's BooleanClause. */
    enum Occur {
        /** The document must match. */
        MUST,
        /** Optional when the group has a MUST clause; otherwise at least one SHOULD clause must match. */
        SHOULD,
        /** The document must not match. */
        MUST_NOT
    }

    /** The word before a clause: {@code AND}/{@code &&}, {@code OR}/{@code ||} or none (AND by default). */
    enum Conjunction {
        NONE, AND, OR
    }

    /** The sign of a clause: {@code -}, {@code NOT} or {@code !} excludes; {@code +} is written but changes nothing. */
    enum Modifier {
        NONE, REQUIRED, NOT
    }

    /** One clause of a {@link Bool} as written. */
    record Clause(Conjunction conjunction, Modifier modifier, SearchQuery query) {
        public Clause {
            Objects.requireNonNull(conjunction);
            Objects.requireNonNull(modifier);
            Objects.requireNonNull(query);
        }
    }

    /**
     * Clauses as written, joined by Lucene's rules (with AND as the default operator): a clause introduced
     * by AND makes the one before it required, one introduced by OR makes the one before it optional,
     * {@code -} and {@code NOT} exclude. A group without required or optional clauses (only exclusions)
     * matches nothing. A store may find that a clause drops out (a text value with no words in it); the
     * rules then apply to the clauses left, exactly as Lucene applied them: {@link #occurs}.
     */
    record Bool(List<Clause> clauses) implements SearchQuery {
        public Bool {
            clauses = List.copyOf(clauses);
        }

        /**
         * How each clause takes part, given which are present: null for a clause that dropped out.
         *
         * @param present one flag per clause
         */
        public List<Occur> occurs(List<Boolean> present) {
            List<Occur> out = new ArrayList<>();
            int last = -1;
            for (int i = 0; i < clauses.size(); i++) {
                Clause c = clauses.get(i);
                if (last >= 0 && c.conjunction() == Conjunction.AND && out.get(last) != Occur.MUST_NOT) {
                    out.set(last, Occur.MUST);
                }
                if (last >= 0 && c.conjunction() == Conjunction.OR && out.get(last) != Occur.MUST_NOT) {
                    out.set(last, Occur.SHOULD);
                }
                if (!present.get(i)) {
                    out.add(null);
                    continue;
                }
                out.add(c.modifier() == Modifier.NOT ? Occur.MUST_NOT
                        : c.conjunction() == Conjunction.OR ? Occur.SHOULD : Occur.MUST);
                last = i;
            }
            return out;
        }

        /**
         * True when the group stands for its one present clause itself (Lucene returned that clause's query
         * instead of a group): it is the first clause and has no sign.
         */
        public boolean standsForFirst(List<Boolean> present) {
            int count = 0;
            for (Boolean p : present) {
                count += p ? 1 : 0;
            }
            return count == 1 && present.get(0) && clauses.get(0).modifier() == Modifier.NONE;
        }
    }

    /**
     * Any of several queries: a value without a field name, looked for in every field. Queries that drop
     * out are left out; when all do, so does this.
     */
    record AnyOf(List<SearchQuery> queries) implements SearchQuery {
        public AnyOf {
            queries = List.copyOf(queries);
        }
    }

    /**
     * A value as typed, unquoted, escapes removed: a keyword field matches it whole (ignoring case), a
     * text field all of its words.
     */
    record Term(SearchField field, String text) implements SearchQuery {
    }

    /**
     * A quoted value: a keyword field matches it whole (ignoring case), a text field its words in order,
     * at most {@code slop} positions apart.
     */
    record Phrase(SearchField field, String text, int slop) implements SearchQuery {
    }

    /** Values starting with {@code prefix} (escapes removed), ignoring case. */
    record Prefix(SearchField field, String prefix) implements SearchQuery {
    }

    /**
     * Values matching {@code pattern}: {@code *} any characters, {@code ?} one, a backslash escapes the
     * next character; ignoring case.
     */
    record Wildcard(SearchField field, String pattern) implements SearchQuery {
    }

    /** Values within {@code maxEdits} (0 to 2) edits of {@code text}, ignoring case. */
    record Fuzzy(SearchField field, String text, int maxEdits) implements SearchQuery {
    }

    /** Values matching the regular expression {@code pattern} (Lucene's syntax), ignoring case. */
    record Regexp(SearchField field, String pattern) implements SearchQuery {
    }

    /** Values between two strings (compared lower-cased; a null end is open). */
    record TermRange(SearchField field, String lower, String upper, boolean includeLower, boolean includeUpper)
            implements SearchQuery {
    }

    /**
     * Source addresses in a CIDR block; a prefix length of 32 (IPv4) or 128 (IPv6) is one address.
     * {@code address} has its host bits as typed.
     */
    record AddressPrefix(InetAddress address, int prefixLength) implements SearchQuery {
        /** True when the block is one address. */
        public boolean single() {
            return prefixLength == address.getAddress().length * 8;
        }
    }

    /**
     * Source addresses from {@code lower} to {@code upper}, both included. IPv4 addresses compare as
     * IPv4-mapped IPv6 addresses, so a range may span both.
     */
    record AddressRange(InetAddress lower, InetAddress upper) implements SearchQuery {
    }

    /** Documents whose date lies in {@code [fromSecond, toSecond]} (epoch seconds, both included). */
    record DateRange(long fromSecond, long toSecond) implements SearchQuery {
        /** True when the range has no lower end. */
        public boolean openBelow() {
            return fromSecond == Long.MIN_VALUE;
        }

        /** True when the range has no upper end. */
        public boolean openAbove() {
            return toSecond == Long.MAX_VALUE;
        }
    }

    /** Matches nothing (e.g. a date range that ends before it begins). */
    record MatchNone(String reason) implements SearchQuery {
    }
}
