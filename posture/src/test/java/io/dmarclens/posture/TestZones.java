package io.dmarclens.posture;

import io.dmarclens.testdns.LoopbackDnsServer;
import java.security.KeyPairGenerator;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;

/** The zones the posture tests serve: one domain per situation, valid and broken. */
final class TestZones {
    private TestZones() {
    }

    static LoopbackDnsServer start() throws Exception {
        LoopbackDnsServer dns = new LoopbackDnsServer();
        // A well-run domain: strict DKIM, reject, external rua authorised, SPF with one include, four DKIM keys.
        dns.txt("_dmarc.good.example", "v=DMARC1; p=reject; rua=mailto:dmarc@good.example,mailto:reports@reports.example.net; ruf=mailto:ruf@good.example; adkim=s; fo=1");
        dns.txt("good.example._report._dmarc.reports.example.net", "v=DMARC1");
        dns.txt("good.example", "v=spf1 ip4:192.0.2.0/24 include:_spf.mail.example.org -all");
        dns.txt("good.example", "google-site-verification=abc");
        dns.txt("_spf.mail.example.org", "v=spf1 ip4:198.51.100.0/24 ip6:2001:db8::/32 ~all");
        dns.txt("s2048._domainkey.good.example", "v=DKIM1; k=rsa; p=" + rsa(2048));
        dns.txt("s1024._domainkey.good.example", "v=DKIM1; k=rsa; p=" + rsa(1024));
        dns.txt("ed._domainkey.good.example", "v=DKIM1; k=ed25519; p=" + ed25519());
        dns.txt("old._domainkey.good.example", "v=DKIM1; p=");
        dns.txt("test._domainkey.good.example", "v=DKIM1; t=y; p=" + rsa(2048));
        dns.add(new MXRecord(LoopbackDnsServer.name("good.example"), DClass.IN, 300, 10, LoopbackDnsServer.name("mx.good.example")));
        dns.txt("_smtp._tls.good.example", "v=TLSRPTv1; rua=mailto:tls@good.example");
        dns.txt("_mta-sts.good.example", "v=STSv1; id=20260101");

        dns.txt("_dmarc.multi.example", "v=DMARC1; p=none; rua=mailto:a@multi.example");
        dns.txt("_dmarc.multi.example", "v=DMARC1; p=reject");
        // Two DMARC records: the first sends reports to an authorised collector, the second to one that never
        // agreed (no twodmarc.example._report._dmarc.collector.example.org record).
        dns.txt("_dmarc.twodmarc.example", "v=DMARC1; p=reject; rua=mailto:reports@reports.example.net");
        dns.txt("_dmarc.twodmarc.example", "v=DMARC1; p=none; rua=mailto:d@collector.example.org; ruf=mailto:f@twodmarc.example");
        dns.txt("twodmarc.example._report._dmarc.reports.example.net", "v=DMARC1");
        dns.txt("_dmarc.order.example", "p=none; v=DMARC1; rua=mailto:a@order.example");
        dns.txt("_dmarc.word.example", "v=DMARC1; p=block; rua=mailto:a@word.example");
        dns.txt("_dmarc.sloppy.example", "v=DMARC1; p=quarantine; pct=50; rua=mailto:d@sloppy.example!10m,https://collector.example/r; ruf=mailto:not-an-address");
        dns.txt("_dmarc.lonely.example", "v=DMARC1; p=none");
        dns.txt("_dmarc.unauth.example", "v=DMARC1; p=none; rua=mailto:reports@reports.example.net");
        dns.txt("_dmarc.inherit.example", "v=DMARC1; p=quarantine; sp=reject; rua=mailto:d@inherit.example");
        dns.txt("www.inherit.example", "v=spf1 -all");

        // SPF: twelve lookups through an include chain; void lookups; ptr and +all; two records; syntax errors.
        dns.txt("_dmarc.toomany.example", "v=DMARC1; p=none; rua=mailto:d@toomany.example");
        dns.txt("toomany.example", "v=spf1 include:a.spf.example include:b.spf.example include:c.spf.example -all");
        dns.txt("a.spf.example", "v=spf1 include:a1.spf.example include:a2.spf.example include:a3.spf.example ~all");
        dns.txt("b.spf.example", "v=spf1 include:b1.spf.example include:b2.spf.example ~all");
        dns.txt("c.spf.example", "v=spf1 include:c1.spf.example mx a ~all");
        for (String leaf : new String[] {"a1", "a2", "a3", "b1", "b2", "c1"}) {
            dns.txt(leaf + ".spf.example", "v=spf1 ip4:203.0.113." + (leaf.charAt(1) - '0') + " ~all");
        }
        dns.add(new MXRecord(LoopbackDnsServer.name("c.spf.example"), DClass.IN, 300, 10, LoopbackDnsServer.name("mx.c.spf.example")));
        dns.add(new org.xbill.DNS.ARecord(LoopbackDnsServer.name("c.spf.example"), DClass.IN, 300, java.net.InetAddress.getByName("203.0.113.9")));
        dns.txt("voids.example", "v=spf1 a:nx1.voids.example a:nx2.voids.example mx:nx3.voids.example -all");
        dns.txt("open.example", "v=spf1 ptr +all");
        dns.txt("twice.example", "v=spf1 -all");
        dns.txt("twice.example", "v=spf1 ip4:192.0.2.1 -all");
        dns.txt("typo.example", "v=spf1 ip4:300.1.1.1 foo:bar include:nospf.example -all");
        dns.txt("nospf.example", "hello");

        dns.silent("_dmarc.slow.example");
        dns.servfail("_dmarc.broken-server.example");
        return dns;
    }

    private static String rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4));
        return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
    }

    /** RFC 8463: the raw 32-byte key, i.e. the SubjectPublicKeyInfo without its 12-byte header. */
    private static String ed25519() throws Exception {
        byte[] spki = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    }
}
