package io.dmarclens.store.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The policy domains a reader may see: every domain, or those named by a list of entries, each an exact
 * domain ({@code example.com}) or a pattern for its subdomains ({@code *.example.com}, which does not include
 * {@code example.com} itself). A scope can be narrowed by another (an API token narrows its user's scope);
 * a domain is then in scope only when every list permits it.
 *
 * <p>Scope is authorisation, not a filter the user chose: stores apply it to every answer, totals included,
 * so that nothing outside it is counted, listed or named. Stores resolve it against the policy domains they
 * hold ({@link #resolve}) and query with the concrete set.
 *
 * @param lists the entry lists that must all permit a domain; empty for every domain
 */
public record DomainScope(List<Set<String>> lists) {
    private static final Pattern ENTRY =
            Pattern.compile("(\\*\\.)?[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*\\.?");
    private static final DomainScope ALL = new DomainScope(List.of());

    public DomainScope {
        List<Set<String>> copy = new ArrayList<>();
        for (Set<String> list : lists) {
            LinkedHashSet<String> entries = new LinkedHashSet<>();
            for (String e : list) {
                entries.add(normal(e));
            }
            copy.add(Set.copyOf(entries));
        }
        lists = List.copyOf(copy);
    }

    /** Every domain. */
    public static DomainScope all() {
        return ALL;
    }

    /** Exactly these domains or patterns. */
    public static DomainScope of(Collection<String> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a scope needs at least one domain; use DomainScope.all() for every domain");
        }
        return new DomainScope(List.of(Set.copyOf(entries)));
    }

    /**
     * Reads a scope as {@code users} stores it: {@code all}, or domains and patterns separated by commas.
     *
     * @throws IllegalArgumentException naming the entry that is neither a domain nor a pattern
     */
    public static DomainScope parse(String text) {
        if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
            return ALL;
        }
        List<String> entries = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                entries.add(part);
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("give at least one domain, or 'all'");
        }
        return of(entries);
    }

    /** Whether this scope admits every domain. */
    public boolean isAll() {
        return lists.isEmpty();
    }

    /** This scope further limited to what {@code other} permits too. */
    public DomainScope narrowedBy(DomainScope other) {
        List<Set<String>> both = new ArrayList<>(lists);
        for (Set<String> l : other.lists) {
            if (!both.contains(l)) {
                both.add(l);
            }
        }
        return new DomainScope(both);
    }

    /** Whether a policy domain is in scope (case and a trailing dot do not matter). */
    public boolean permits(String policyDomain) {
        if (isAll()) {
            return true;
        }
        if (policyDomain == null || policyDomain.isBlank()) {
            return false;
        }
        String d = stripDot(policyDomain.strip().toLowerCase(Locale.ROOT));
        for (Set<String> list : lists) {
            if (!permittedBy(list, d)) {
                return false;
            }
        }
        return true;
    }

    /** The domains among {@code known} that are in scope, sorted. */
    public SortedSet<String> resolve(Collection<String> known) {
        SortedSet<String> in = new TreeSet<>();
        for (String d : known) {
            if (permits(d)) {
                in.add(d);
            }
        }
        return in;
    }

    /** The stored form: {@code all}, or the entries of a one-list scope joined by commas. */
    @Override
    public String toString() {
        if (isAll()) {
            return "all";
        }
        List<String> parts = new ArrayList<>();
        for (Set<String> l : lists) {
            parts.add(String.join(",", new TreeSet<>(l)));
        }
        return String.join(" & ", parts);
    }

    private static boolean permittedBy(Set<String> list, String domain) {
        for (String entry : list) {
            if (entry.startsWith("*.")) {
                if (domain.endsWith(entry.substring(1))) {
                    return true;
                }
            } else if (entry.equals(domain)) {
                return true;
            }
        }
        return false;
    }

    private static String normal(String entry) {
        String e = stripDot(entry.strip().toLowerCase(Locale.ROOT));
        if (!ENTRY.matcher(e).matches() || e.length() > 255) {
            throw new IllegalArgumentException("not a domain or pattern such as *.example.com: " + entry.strip());
        }
        return e;
    }

    private static String stripDot(String d) {
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
