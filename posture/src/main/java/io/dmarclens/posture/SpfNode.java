package io.dmarclens.posture;

import java.util.List;

/**
 * One SPF record in the tree of includes and redirects, with the lookups it costs.
 *
 * @param domain       the domain whose record this is
 * @param via          how it was reached: "" for the root, else e.g. "include:_spf.google.com"
 * @param record       the record text, or null when none was found
 * @param terms        its terms in order
 * @param lookups      DNS-querying terms in this record itself
 * @param totalLookups lookups of this record and everything below it (the number RFC 7208 limits to 10 at the root)
 * @param voidLookups  lookups below and at this node that found nothing (limited to 2)
 * @param children     records reached by include and redirect
 * @param findings     what is wrong or notable at this node
 */
public record SpfNode(String domain, String via, String record, List<SpfTerm> terms, int lookups, int totalLookups,
                      int voidLookups, List<SpfNode> children, List<Finding> findings) {
    public SpfNode {
        terms = List.copyOf(terms);
        children = List.copyOf(children);
        findings = List.copyOf(findings);
    }
}
