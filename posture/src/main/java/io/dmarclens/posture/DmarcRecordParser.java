package io.dmarclens.posture;

import io.dmarclens.posture.DmarcRecord.ReportUri;
import io.dmarclens.posture.DmarcRecord.TagExplanation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses a DMARC policy record (RFC 7489 section 6.3, RFC 9989) and explains every tag. */
public final class DmarcRecordParser {
    private static final Set<String> POLICIES = Set.of("none", "quarantine", "reject");
    private static final List<String> KNOWN = List.of("v", "p", "sp", "np", "pct", "rua", "ruf", "adkim", "aspf",
            "fo", "rf", "ri", "t", "psd");
    private static final Pattern URI = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*):([^!]+)(!(\\d+)([kmgtKMGT])?)?$");
    private static final Pattern MAILBOX = Pattern.compile("^[^@\\s]+@([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)$");

    /** True when a TXT string is meant as a DMARC record (starts with v=DMARC1, spaces allowed). */
    public static boolean isDmarc(String txt) {
        return txt.stripLeading().replace(" ", "").startsWith("v=DMARC1");
    }

    public DmarcRecord parse(String raw) {
        List<Finding> findings = new ArrayList<>();
        List<TagValues.Tag> pieces = TagValues.split(raw);
        Map<String, String> published = new LinkedHashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            TagValues.Tag piece = pieces.get(i);
            if (piece.name() == null) {
                findings.add(Finding.error("dmarc.syntax", "'" + piece.raw() + "' is not a tag=value pair"));
                continue;
            }
            String name = piece.name().toLowerCase(Locale.ROOT);
            if (i == 0 && !name.equals("v")) {
                findings.add(Finding.error("dmarc.version-not-first",
                        "the record must start with v=DMARC1, but starts with '" + piece.raw() + "': receivers ignore it"));
            } else if (i > 0 && name.equals("v")) {
                findings.add(Finding.error("dmarc.version-not-first",
                        "v=DMARC1 must be the first tag, but is tag " + (i + 1) + ": receivers ignore the record"));
            }
            if (!KNOWN.contains(name)) {
                findings.add(Finding.warning("dmarc.unknown-tag", "unknown tag '" + piece.name() + "' is ignored by receivers"));
                continue;
            }
            if (published.containsKey(name)) {
                findings.add(Finding.warning("dmarc.duplicate-tag", "tag '" + name + "' appears twice; the first value counts"));
                continue;
            }
            published.put(name, piece.value());
        }
        if (published.containsKey("v") && !"DMARC1".equals(published.get("v"))) {
            findings.add(Finding.error("dmarc.bad-version", "v=" + published.get("v") + " is not DMARC1: receivers ignore the record"));
        }

        List<ReportUri> rua = uris("rua", published.get("rua"), findings);
        List<ReportUri> ruf = uris("ruf", published.get("ruf"), findings);

        String p = policy("p", published.get("p"), findings);
        if (p == null && !published.containsKey("p")) {
            if (!rua.isEmpty()) {
                findings.add(Finding.warning("dmarc.no-policy", "no p= tag: RFC 9989 treats the record as p=none because it has rua, RFC 7489 receivers ignore it"));
            } else {
                findings.add(Finding.error("dmarc.no-policy", "no p= tag and no rua: the record has no effect"));
            }
        }
        String effectiveP = p == null ? (published.containsKey("p") || rua.isEmpty() ? null : "none") : p;
        String sp = policy("sp", published.get("sp"), findings);
        String np = policy("np", published.get("np"), findings);
        String effectiveSp = sp != null ? sp : effectiveP;
        String effectiveNp = np != null ? np : effectiveSp;

        String adkim = alignment("adkim", published.get("adkim"), findings);
        String aspf = alignment("aspf", published.get("aspf"), findings);
        Integer pct = pct(published.get("pct"), findings);
        String fo = published.getOrDefault("fo", "0");
        if (published.containsKey("fo") && !fo.matches("[01ds](:[01ds])*")) {
            findings.add(Finding.error("dmarc.bad-fo", "fo=" + fo + " is not a colon list of 0, 1, d, s"));
        }
        if (published.containsKey("fo") && ruf.isEmpty()) {
            findings.add(Finding.info("dmarc.fo-without-ruf", "fo= has no effect without ruf="));
        }
        String t = published.getOrDefault("t", "n");
        if (!t.equals("y") && !t.equals("n")) {
            findings.add(Finding.error("dmarc.bad-testing", "t=" + t + " must be y or n"));
        } else if (t.equals("y")) {
            findings.add(Finding.warning("dmarc.testing", "t=y (testing): receivers apply the policy one level softer (reject as quarantine, quarantine as none)"));
        }
        String psd = published.getOrDefault("psd", "u");
        if (!Set.of("y", "n", "u").contains(psd)) {
            findings.add(Finding.error("dmarc.bad-psd", "psd=" + psd + " must be y, n or u"));
        }
        for (String obsolete : List.of("rf", "ri")) {
            if (published.containsKey(obsolete)) {
                findings.add(Finding.info("dmarc.obsolete-tag", obsolete + "= was removed by RFC 9989; receivers may ignore it"));
            }
        }
        if (pct != null && pct < 100) {
            findings.add(Finding.warning("dmarc.pct", "pct=" + pct + ": the policy applies to only " + pct
                    + "% of failing mail; RFC 9989 removed pct, and many receivers apply all or nothing"));
        }
        if ("none".equals(effectiveP) && rua.isEmpty()) {
            findings.add(Finding.warning("dmarc.none-without-rua", "p=none with no rua: the record protects nothing and asks for no reports"));
        } else if ("none".equals(effectiveP)) {
            findings.add(Finding.info("dmarc.monitoring", "p=none: monitoring only, failing mail is delivered as usual"));
        }
        if (findings.stream().noneMatch(f -> f.severity() == Finding.Severity.ERROR)) {
            findings.add(0, Finding.ok("dmarc.valid", "the DMARC record is valid"));
        }

        List<TagExplanation> tags = new ArrayList<>();
        tags.add(explain("v", published.getOrDefault("v", null), published, "protocol version; must be DMARC1 and come first"));
        tags.add(explain("p", effectiveP, published, policyMeaning("mail from the domain itself", effectiveP)));
        tags.add(explain("sp", effectiveSp, published, policyMeaning("mail from existing subdomains", effectiveSp)
                + (sp == null ? " (defaults to p)" : "")));
        tags.add(explain("np", effectiveNp, published, policyMeaning("mail from subdomains that do not exist", effectiveNp)
                + (np == null ? " (defaults to sp)" : "")));
        tags.add(explain("adkim", adkim, published, alignmentMeaning("DKIM d=", adkim)));
        tags.add(explain("aspf", aspf, published, alignmentMeaning("the SPF MAIL FROM domain", aspf)));
        tags.add(explain("pct", String.valueOf(pct == null ? 100 : pct), published,
                "share of failing mail the policy applies to (RFC 7489 only; removed by RFC 9989)"));
        tags.add(explain("rua", published.get("rua"), published, rua.isEmpty()
                ? "no aggregate reports are requested" : "daily aggregate reports go to " + addresses(rua)));
        tags.add(explain("ruf", published.get("ruf"), published, ruf.isEmpty()
                ? "no failure reports are requested" : "failure reports for single messages go to " + addresses(ruf)));
        tags.add(explain("fo", fo, published, foMeaning(fo)));
        tags.add(explain("rf", published.getOrDefault("rf", "afrf"), published, "failure report format (afrf, the only one defined; removed by RFC 9989)"));
        tags.add(explain("ri", published.getOrDefault("ri", "86400"), published, "requested aggregate interval in seconds (removed by RFC 9989; receivers send daily)"));
        tags.add(explain("t", t, published, t.equals("y") ? "testing: receivers apply the policy one level softer"
                : "not testing: receivers apply the policy as published"));
        tags.add(explain("psd", psd, published, switch (psd) {
            case "y" -> "this is a public suffix domain's record";
            case "n" -> "this is an organisational domain's record: the tree walk stops here";
            default -> "unspecified: the organisational domain is found by the tree walk";
        }));
        return new DmarcRecord(raw, tags, rua, ruf, findings);
    }

    private static TagExplanation explain(String tag, String value, Map<String, String> published, String meaning) {
        return new TagExplanation(tag, value, published.containsKey(tag), meaning);
    }

    private static String policy(String tag, String value, List<Finding> findings) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!POLICIES.contains(lower)) {
            findings.add(Finding.error("dmarc.bad-policy", tag + "=" + value + " is not none, quarantine or reject"
                    + (tag.equals("p") ? ": receivers ignore the record" : ": the default applies")));
            return null;
        }
        return lower;
    }

    private static String alignment(String tag, String value, List<Finding> findings) {
        if (value == null) {
            return "r";
        }
        if (!value.equals("r") && !value.equals("s")) {
            findings.add(Finding.error("dmarc.bad-alignment", tag + "=" + value + " is not r or s: relaxed (r) applies"));
            return "r";
        }
        return value;
    }

    private static Integer pct(String value, List<Finding> findings) {
        if (value == null) {
            return null;
        }
        try {
            int pct = Integer.parseInt(value);
            if (pct < 0 || pct > 100) {
                findings.add(Finding.error("dmarc.bad-pct", "pct=" + value + " is outside 0-100"));
                return null;
            }
            return pct;
        } catch (NumberFormatException e) {
            findings.add(Finding.error("dmarc.bad-pct", "pct=" + value + " is not a number"));
            return null;
        }
    }

    private static List<ReportUri> uris(String tag, String value, List<Finding> findings) {
        List<ReportUri> uris = new ArrayList<>();
        if (value == null) {
            return uris;
        }
        if (value.isBlank()) {
            findings.add(Finding.error("dmarc.bad-uri", tag + "= is empty"));
            return uris;
        }
        for (String part : value.split(",")) {
            String uri = part.strip();
            Matcher m = URI.matcher(uri);
            if (!m.matches()) {
                findings.add(Finding.error("dmarc.bad-uri", tag + ": '" + uri + "' is not a URI (expected mailto:address)"));
                continue;
            }
            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            String size = m.group(3) == null ? null : m.group(3).substring(1);
            if (size != null) {
                findings.add(Finding.warning("dmarc.size-suffix", tag + ": the size limit '!" + size
                        + "' on " + uri + " is obsolete (RFC 9989) and may make reporters drop reports"));
            }
            if (!scheme.equals("mailto")) {
                findings.add(Finding.warning("dmarc.unsupported-uri", tag + ": '" + uri + "' uses " + scheme
                        + ":, which reporters do not support; only mailto: is"));
                uris.add(new ReportUri(uri, null, null, size));
                continue;
            }
            String address = m.group(2);
            Matcher mailbox = MAILBOX.matcher(address);
            if (!mailbox.matches()) {
                findings.add(Finding.error("dmarc.bad-uri", tag + ": '" + address + "' is not a mailbox address"));
                continue;
            }
            uris.add(new ReportUri(uri, address, mailbox.group(1).toLowerCase(Locale.ROOT), size));
        }
        return uris;
    }

    private static String addresses(List<ReportUri> uris) {
        return String.join(", ", uris.stream().map(u -> u.address() != null ? u.address() : u.uri()).toList());
    }

    private static String policyMeaning(String what, String p) {
        if (p == null) {
            return "no valid policy for " + what;
        }
        return switch (p) {
            case "none" -> what + " that fails DMARC is delivered as usual (monitoring)";
            case "quarantine" -> what + " that fails DMARC goes to spam or quarantine";
            default -> what + " that fails DMARC is rejected";
        };
    }

    private static String alignmentMeaning(String identifier, String mode) {
        return "s".equals(mode)
                ? "strict: " + identifier + " must equal the From domain exactly"
                : "relaxed: " + identifier + " may be any domain of the same organisation as the From domain";
    }

    private static String foMeaning(String fo) {
        List<String> parts = new ArrayList<>();
        for (String option : fo.split(":")) {
            switch (option) {
                case "0" -> parts.add("a failure report when both SPF and DKIM fail to align");
                case "1" -> parts.add("a failure report when either SPF or DKIM fails to align");
                case "d" -> parts.add("a report for every failing DKIM signature");
                case "s" -> parts.add("a report for every SPF failure");
                default -> parts.add("unknown option " + option);
            }
        }
        return "failure reporting: " + String.join("; ", parts);
    }
}
