package io.dmarclens.posture;

import io.dmarclens.parser.DomainNames;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Fetches a domain's SPF record and follows include and redirect, counting DNS-querying terms and void
 * lookups against the limits of RFC 7208 section 4.6.4 (10 and 2), and flags syntax errors, several
 * records, {@code ptr} and {@code +all}.
 */
public final class SpfAnalyzer {
    static final int MAX_LOOKUPS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    private static final int MAX_DEPTH = 12;
    private static final Set<String> MECHANISMS = Set.of("all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists");
    private static final Set<String> LOOKUP_TERMS = Set.of("include", "a", "mx", "ptr", "exists", "redirect");
    private static final Pattern IP4 = Pattern.compile("^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}(/(3[0-2]|[12]?\\d))?$");
    private static final Pattern IP6 = Pattern.compile("^[0-9A-Fa-f:.]+(/(12[0-8]|1[01]\\d|[1-9]?\\d))?$");

    private final DnsClient dns;

    public SpfAnalyzer(DnsClient dns) {
        this.dns = dns;
    }

    /**
     * The analysis of a domain's SPF.
     *
     * @param root     the tree, starting at the domain's own record
     * @param findings the verdicts on the whole tree (limits), then every node's findings
     */
    public record Result(SpfNode root, List<Finding> findings) {
        public Result {
            findings = List.copyOf(findings);
        }
    }

    public Result analyze(String domain) {
        String name = DomainNames.normalise(domain);
        SpfNode root = node(name, "", 0, new HashSet<>());
        List<Finding> findings = new ArrayList<>();
        if (root.record() != null) {
            if (root.totalLookups() > MAX_LOOKUPS) {
                findings.add(Finding.error("spf.too-many-lookups", "SPF needs " + root.totalLookups()
                        + " DNS lookups; the limit is " + MAX_LOOKUPS + " (RFC 7208 4.6.4): receivers return permerror, "
                        + "so SPF fails for all mail. Flatten includes or drop unused ones"));
            } else {
                findings.add(Finding.ok("spf.lookups", "SPF needs " + root.totalLookups() + " of at most "
                        + MAX_LOOKUPS + " DNS lookups"));
            }
            if (root.voidLookups() > MAX_VOID_LOOKUPS) {
                findings.add(Finding.error("spf.void-lookups", "SPF has " + root.voidLookups()
                        + " lookups that find nothing; the limit is " + MAX_VOID_LOOKUPS
                        + " (RFC 7208 4.6.4): receivers may return permerror"));
            }
        }
        collect(root, findings);
        return new Result(root, findings);
    }

    private static void collect(SpfNode node, List<Finding> into) {
        into.addAll(node.findings());
        for (SpfNode child : node.children()) {
            collect(child, into);
        }
    }

    private SpfNode node(String domain, String via, int depth, Set<String> seen) {
        List<Finding> findings = new ArrayList<>();
        String where = via.isEmpty() ? domain : via;
        DnsAnswer answer = dns.txt(domain);
        if (answer.failed()) {
            findings.add(Finding.warning("spf.dns", "SPF of " + where + ": " + answer.describe()));
            return new SpfNode(domain, via, null, List.of(), 0, 0, 0, List.of(), findings);
        }
        List<String> records = answer.records().stream()
                .filter(r -> r.toLowerCase(Locale.ROOT).equals("v=spf1") || r.toLowerCase(Locale.ROOT).startsWith("v=spf1 "))
                .toList();
        if (records.isEmpty()) {
            if (via.isEmpty()) {
                findings.add(Finding.warning("spf.missing", domain + " publishes no SPF record: SPF result none for all "
                        + "its mail, so DMARC relies on DKIM alone"));
            } else {
                findings.add(Finding.error("spf.include-missing", where + " has no SPF record: evaluating it is a permerror"));
            }
            return new SpfNode(domain, via, null, List.of(), 0, 0, answer.empty() ? 1 : 0, List.of(), findings);
        }
        if (records.size() > 1) {
            findings.add(Finding.error("spf.multiple", domain + " publishes " + records.size()
                    + " SPF records: receivers return permerror; merge them into one"));
        }
        String record = records.get(0);
        List<SpfTerm> terms = new ArrayList<>();
        List<SpfNode> children = new ArrayList<>();
        int lookups = 0;
        int voids = 0;
        int total = 0;
        boolean hasAll = false;
        String redirect = null;
        Set<String> modifiersSeen = new HashSet<>();
        String[] parts = record.strip().split("\\s+");
        for (int i = 1; i < parts.length; i++) {
            SpfTerm term = parse(parts[i], findings, where);
            if (term == null) {
                continue;
            }
            terms.add(term);
            if (term.dnsLookup()) {
                lookups++;
            }
            if (term.modifier()) {
                if ((term.name().equals("redirect") || term.name().equals("exp")) && !modifiersSeen.add(term.name())) {
                    findings.add(Finding.error("spf.syntax", where + ": " + term.name() + "= appears twice (permerror)"));
                }
                if (term.name().equals("redirect")) {
                    redirect = term.value();
                }
                continue;
            }
            switch (term.name()) {
                case "all" -> {
                    hasAll = true;
                    if (term.qualifier().equals("+")) {
                        findings.add(Finding.error("spf.plus-all", where + ": '" + term.raw()
                                + "' lets every server on the internet pass SPF for this domain"));
                    } else if (term.qualifier().equals("?") && via.isEmpty()) {
                        findings.add(Finding.warning("spf.neutral-all", where + ": '?all' gives unlisted servers a neutral result; use ~all or -all"));
                    }
                }
                case "ptr" -> findings.add(Finding.warning("spf.ptr", where + ": 'ptr' is slow and unreliable and "
                        + "RFC 7208 says it SHOULD NOT be used; some receivers ignore it"));
                case "include" -> {
                    SpfNode child = follow(term, "include:", depth, seen, findings, where);
                    if (child != null) {
                        children.add(child);
                        total += child.totalLookups();
                        voids += child.voidLookups();
                    }
                }
                case "a" -> voids += voidA(term.value() == null ? domain : stripCidr(term.value()));
                case "mx" -> voids += voidMx(term.value() == null ? domain : stripCidr(term.value()), findings, where);
                case "exists" -> voids += isMacro(term.value()) || !dns.a(term.value()).empty() ? 0 : 1;
                default -> {
                }
            }
        }
        if (redirect != null && hasAll) {
            findings.add(Finding.info("spf.redirect-ignored", where + ": redirect= is ignored because the record has an 'all' term"));
        } else if (redirect != null) {
            SpfTerm term = terms.stream().filter(t -> t.name().equals("redirect")).findFirst().orElseThrow();
            SpfNode child = follow(term, "redirect=", depth, seen, findings, where);
            if (child != null) {
                children.add(child);
                total += child.totalLookups();
                voids += child.voidLookups();
            }
        } else if (!hasAll && via.isEmpty()) {
            findings.add(Finding.warning("spf.no-all", where + ": no 'all' term, so unlisted servers get neutral; end with ~all or -all"));
        }
        return new SpfNode(domain, via, record, terms, lookups, lookups + total, voids, children, findings);
    }

    private SpfNode follow(SpfTerm term, String prefix, int depth, Set<String> seen, List<Finding> findings, String where) {
        String target = term.value();
        if (target == null || target.isEmpty()) {
            findings.add(Finding.error("spf.syntax", where + ": '" + term.raw() + "' has no domain"));
            return null;
        }
        if (isMacro(target)) {
            findings.add(Finding.info("spf.macro", where + ": '" + term.raw() + "' uses a macro and depends on each message; not followed"));
            return null;
        }
        String key = DomainNames.normalise(target);
        if (!seen.add(key) || depth >= MAX_DEPTH) {
            findings.add(Finding.error("spf.loop", where + ": '" + term.raw() + "' leads back to a record already "
                    + "evaluated (or nests too deep): permerror"));
            return null;
        }
        SpfNode child = node(key, prefix + target, depth + 1, seen);
        seen.remove(key);
        return child;
    }

    private int voidA(String name) {
        if (isMacro(name)) {
            return 0;
        }
        return dns.a(name).empty() && dns.aaaa(name).empty() ? 1 : 0;
    }

    private int voidMx(String name, List<Finding> findings, String where) {
        if (isMacro(name)) {
            return 0;
        }
        DnsAnswer mx = dns.mx(name);
        if (mx.empty()) {
            return 1;
        }
        if (mx.records().size() > 10) {
            findings.add(Finding.error("spf.mx-too-many", where + ": 'mx' of " + name + " has "
                    + mx.records().size() + " MX hosts; more than 10 is a permerror"));
        }
        return 0;
    }

    private static SpfTerm parse(String raw, List<Finding> findings, String where) {
        String text = raw;
        int eq = text.indexOf('=');
        int colon = text.indexOf(':');
        int slash = text.indexOf('/');
        boolean modifier = eq > 0 && (colon < 0 || eq < colon) && (slash < 0 || eq < slash);
        if (modifier) {
            String name = text.substring(0, eq).toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z][a-z0-9_.-]*")) {
                findings.add(Finding.error("spf.syntax", where + ": '" + raw + "' is not a valid modifier (permerror)"));
                return null;
            }
            return new SpfTerm(raw, null, name, text.substring(eq + 1), true, name.equals("redirect"));
        }
        String qualifier = "+";
        if (!text.isEmpty() && "+-~?".indexOf(text.charAt(0)) >= 0) {
            qualifier = text.substring(0, 1);
            text = text.substring(1);
        }
        int sep = indexOfAny(text, ":/");
        String name = (sep < 0 ? text : text.substring(0, sep)).toLowerCase(Locale.ROOT);
        String value = sep < 0 ? null : text.charAt(sep) == ':' ? text.substring(sep + 1) : text.substring(sep);
        if (!MECHANISMS.contains(name)) {
            findings.add(Finding.error("spf.syntax", where + ": unknown mechanism '" + raw + "' (permerror)"));
            return null;
        }
        if ((name.equals("ip4") && (value == null || !IP4.matcher(value).matches()))
                || (name.equals("ip6") && (value == null || !IP6.matcher(value).matches() || !value.contains(":")))) {
            findings.add(Finding.error("spf.syntax", where + ": '" + raw + "' is not a valid " + name + " network (permerror)"));
            return null;
        }
        if ((name.equals("include") || name.equals("exists")) && (value == null || value.isEmpty())) {
            findings.add(Finding.error("spf.syntax", where + ": '" + raw + "' needs a domain (permerror)"));
            return null;
        }
        if (name.equals("all") && value != null) {
            findings.add(Finding.error("spf.syntax", where + ": 'all' takes no argument: '" + raw + "' (permerror)"));
            return null;
        }
        if (value != null && value.startsWith("/") && (name.equals("a") || name.equals("mx"))) {
            value = null; // a/24 or mx//64: the domain is the current one; the prefix only narrows the match
        }
        return new SpfTerm(raw, qualifier, name, value, false, LOOKUP_TERMS.contains(name));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String stripCidr(String value) {
        int slash = value.indexOf('/');
        return slash < 0 ? value : value.substring(0, slash);
    }

    private static boolean isMacro(String value) {
        return value != null && value.contains("%{");
    }
}
