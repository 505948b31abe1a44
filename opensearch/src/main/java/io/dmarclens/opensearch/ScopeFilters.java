package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.KnownDomains;
import io.dmarclens.store.query.ResolvedScope;
import io.dmarclens.store.search.SearchField;
import java.util.HashSet;
import java.util.Set;

/**
 * A resolved scope as filter clauses on our documents (terms filters of the concrete domains, never query
 * text), and the read of the domains the cluster holds that scopes resolve against. An empty set adds a clause
 * that matches nothing: nothing in scope is never everything.
 */
final class ScopeFilters {
    private ScopeFilters() {
    }

    /** The policy domains of aggregate and TLS reports and the reported domains of failure reports stored. */
    static KnownDomains known(Reads reads) {
        return new KnownDomains(distinct(reads, Family.REPORTS, "policy_domain"),
                distinct(reads, Family.TLS, "policy_domains"), distinct(reads, Family.FAILURES, "reported_domain"));
    }

    private static Set<String> distinct(Reads reads, Family family, String field) {
        Set<String> out = new HashSet<>();
        reads.composite(family, reads.visible(null), JsonNodes.object().arrayNode().add(Reads.termsSource("d", field)),
                null, b -> out.add(b.path("key").path("d").asText()));
        return out;
    }

    /** Failure report documents: every reported domain counts under the scope. */
    static void failures(ArrayNode filter, ResolvedScope scope) {
        allOf(filter, scope, "reported_domain", scope.failureDomainsIn(), scope.failureDomainsOut());
    }

    /** TLS report documents: the domain of every policy is in scope. */
    static void tlsReports(ArrayNode filter, ResolvedScope scope) {
        allOf(filter, scope, "policy_domains", scope.tlsDomainsIn(), scope.tlsDomainsOut());
    }

    /** TLS failure detail documents: their policy's domain is in scope. */
    static void tlsFailures(ArrayNode filter, ResolvedScope scope) {
        allOf(filter, scope, "policy_domain", scope.tlsDomainsIn(), Set.of());
    }

    /**
     * A value among {@code in} and none among {@code out}: with every stored value in one of the two sets, that
     * is "every value in scope" for a field of several values.
     */
    private static void allOf(ArrayNode filter, ResolvedScope scope, String field, Set<String> in, Set<String> out) {
        if (scope.isAll()) {
            return;
        }
        if (in.isEmpty()) {
            filter.add(none());
            return;
        }
        filter.add(Dsl.terms(field, in));
        if (!out.isEmpty()) {
            filter.addObject().putObject("bool").putArray("must_not").add(Dsl.terms(field, out));
        }
    }

    /** The search documents in scope: records by policy domain, failure reports and TLS details as above. */
    static ObjectNode searchDocuments(ResolvedScope scope) {
        ObjectNode q = JsonNodes.object();
        ArrayNode should = q.putObject("bool").put("minimum_should_match", 1).putArray("should");
        String kind = SearchTranslator.path(SearchField.KIND);
        String domain = SearchTranslator.path(SearchField.DOMAIN);
        kindIn(should, kind, "record", domain, scope.aggregateDomains(), Set.of());
        kindIn(should, kind, "failure", domain, scope.failureDomainsIn(), scope.failureDomainsOut());
        kindIn(should, kind, "tls", domain, scope.tlsDomainsIn(), Set.of());
        return should.isEmpty() ? none() : q;
    }

    private static void kindIn(ArrayNode should, String kindField, String kind, String domainField, Set<String> in,
                               Set<String> out) {
        if (in.isEmpty()) {
            return;
        }
        ObjectNode bool = should.addObject().putObject("bool");
        ArrayNode f = bool.putArray("filter");
        f.add(Dsl.term(kindField, kind));
        f.add(Dsl.terms(domainField, in));
        if (!out.isEmpty()) {
            bool.putArray("must_not").add(Dsl.terms(domainField, out));
        }
    }

    private static ObjectNode none() {
        ObjectNode q = JsonNodes.object();
        q.putObject("match_none");
        return q;
    }
}
