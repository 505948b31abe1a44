package io.dmarclens.posture;

import io.dmarclens.parser.DomainNames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the DMARC record that applies to a domain, both ways receivers do it: RFC 7489 (the author
 * domain, then its organisational domain from the public suffix list) and the RFC 9989 DNS tree walk.
 */
public final class DmarcDiscovery {
    private final DnsClient dns;
    private final DomainNames domains;

    public DmarcDiscovery(DnsClient dns, DomainNames domains) {
        this.dns = dns;
        this.domains = domains;
    }

    /**
     * The outcome of one discovery method.
     *
     * @param method  {@code psl} (RFC 7489) or {@code treewalk} (RFC 9989)
     * @param queried the names asked for, in order
     * @param foundAt the domain whose {@code _dmarc} record applies, or null
     * @param records the DMARC records at that name (more than one is an error)
     * @param failure a DNS failure that stopped the walk, or null
     */
    public record Result(String method, List<String> queried, String foundAt, List<String> records, DnsAnswer failure) {
        public Result {
            queried = List.copyOf(queried);
            records = List.copyOf(records);
        }

        public boolean found() {
            return foundAt != null;
        }
    }

    public Result psl(String domain) {
        String name = DomainNames.normalise(domain);
        List<String> candidates = new ArrayList<>(List.of(name));
        String org = domains.organisational(name);
        if (!org.equals(name)) {
            candidates.add(org);
        }
        return walk("psl", candidates);
    }

    /** RFC 9989 section 4.10: up the tree label by label, jumping to 7 labels from longer names; at most 8 queries. */
    public Result treeWalk(String domain) {
        String name = DomainNames.normalise(domain);
        List<String> labels = Arrays.asList(name.split("\\."));
        List<String> candidates = new ArrayList<>(List.of(name));
        int start = labels.size() > 8 ? 7 : labels.size() - 1;
        for (int count = start; count >= 1; count--) {
            candidates.add(String.join(".", labels.subList(labels.size() - count, labels.size())));
        }
        return walk("treewalk", candidates);
    }

    private Result walk(String method, List<String> candidates) {
        List<String> queried = new ArrayList<>();
        for (String candidate : candidates) {
            queried.add("_dmarc." + candidate);
            DnsAnswer answer = dns.txt("_dmarc." + candidate);
            if (answer.failed()) {
                return new Result(method, queried, null, List.of(), answer);
            }
            List<String> records = answer.records().stream().filter(DmarcRecordParser::isDmarc).toList();
            if (!records.isEmpty()) {
                return new Result(method, queried, candidate, records, null);
            }
        }
        return new Result(method, queried, null, List.of(), null);
    }
}
