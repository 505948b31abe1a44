package io.dmarclens.posture;

import io.dmarclens.parser.DomainNames;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Fetches and judges a DKIM key record (RFC 6376 section 3.6.1, RFC 8301, RFC 8463). */
public final class DkimKeyChecker {
    private final DnsClient dns;

    public DkimKeyChecker(DnsClient dns) {
        this.dns = dns;
    }

    public DkimKey check(String domain, String selector, boolean seenInReports) {
        String name = selector + "._domainkey." + DomainNames.normalise(domain);
        String where = "DKIM selector " + selector + " of " + domain;
        List<Finding> findings = new ArrayList<>();
        DnsAnswer answer = dns.txt(name);
        if (answer.failed()) {
            findings.add(Finding.warning("dkim.dns", where + ": " + answer.describe()));
            return new DkimKey(selector, domain, name, null, null, null, 0, false, false, seenInReports, findings);
        }
        List<String> records = answer.records().stream().filter(r -> r.contains("p=")).toList();
        if (records.isEmpty()) {
            findings.add(seenInReports
                    ? Finding.warning("dkim.missing", where + " is used in recent reports but " + name
                    + " has no key: mail signed with it now fails DKIM")
                    : Finding.error("dkim.missing", where + ": no key record at " + name));
            return new DkimKey(selector, domain, name, null, null, null, 0, false, false, seenInReports, findings);
        }
        if (records.size() > 1) {
            findings.add(Finding.error("dkim.multiple", where + ": " + records.size() + " key records at " + name
                    + "; verifiers may pick either"));
        }
        String record = records.get(0);
        Map<String, String> tags = new LinkedHashMap<>();
        List<TagValues.Tag> pieces = TagValues.split(record);
        for (int i = 0; i < pieces.size(); i++) {
            TagValues.Tag tag = pieces.get(i);
            if (tag.name() == null) {
                findings.add(Finding.error("dkim.syntax", where + ": '" + tag.raw() + "' is not a tag=value pair"));
                continue;
            }
            if (tag.name().equals("v") && i > 0) {
                findings.add(Finding.error("dkim.syntax", where + ": v= must be the first tag"));
            }
            tags.putIfAbsent(tag.name(), tag.value().replaceAll("\\s+", ""));
        }
        if (tags.containsKey("v") && !tags.get("v").equals("DKIM1")) {
            findings.add(Finding.error("dkim.bad-version", where + ": v=" + tags.get("v") + " is not DKIM1; verifiers ignore the key"));
        }
        String keyType = tags.getOrDefault("k", "rsa").toLowerCase(Locale.ROOT);
        boolean testing = List.of(tags.getOrDefault("t", "").split(":")).contains("y");
        if (testing) {
            findings.add(Finding.warning("dkim.testing", where + " is in testing mode (t=y): some verifiers treat failures as no signature"));
        }
        String p = tags.getOrDefault("p", "");
        if (p.isEmpty()) {
            findings.add(Finding.info("dkim.revoked", where + " is revoked (empty p=): signatures with it fail"
                    + (seenInReports ? "; reports still show mail signed with it" : "")));
            return new DkimKey(selector, domain, name, record, tags, keyType, 0, true, testing, seenInReports, findings);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(p);
        } catch (IllegalArgumentException e) {
            findings.add(Finding.error("dkim.bad-key", where + ": p= is not valid base64"));
            return new DkimKey(selector, domain, name, record, tags, keyType, 0, false, testing, seenInReports, findings);
        }
        int bits = switch (keyType) {
            case "rsa" -> rsaBits(key);
            case "ed25519" -> key.length == 32 ? 256 : -1;
            default -> -2;
        };
        if (bits == -2) {
            findings.add(Finding.error("dkim.bad-key-type", where + ": unknown key type k=" + keyType));
            bits = 0;
        } else if (bits < 0) {
            findings.add(Finding.error("dkim.bad-key", where + ": p= does not hold a valid " + keyType + " public key"));
            bits = 0;
        } else if (keyType.equals("rsa") && bits < 1024) {
            findings.add(Finding.error("dkim.weak-key", where + ": RSA " + bits + " bits; RFC 8301 requires at least "
                    + "1024 and verifiers reject shorter keys. Publish a 2048-bit key"));
        } else if (keyType.equals("rsa") && bits < 2048) {
            findings.add(Finding.warning("dkim.short-key", where + ": RSA " + bits + " bits; 2048 is recommended (RFC 8301)"));
        } else {
            findings.add(Finding.ok("dkim.key", where + ": " + keyType + " " + bits + "-bit key published"));
        }
        return new DkimKey(selector, domain, name, record, tags, keyType, bits, false, testing, seenInReports, findings);
    }

    /** Bits of an RSA key given as SubjectPublicKeyInfo (the norm) or bare PKCS#1 RSAPublicKey (seen in the wild); -1 if neither. */
    private static int rsaBits(byte[] der) {
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return key.getModulus().bitLength();
        } catch (Exception notSpki) {
            try {
                return org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(der).getModulus().bitLength();
            } catch (RuntimeException notPkcs1) {
                return -1;
            }
        }
    }
}
