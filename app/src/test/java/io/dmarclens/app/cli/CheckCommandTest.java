package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dmarclens.testdns.LoopbackDnsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dmarc-lens check} against a real DNS server on loopback. */
class CheckCommandTest {

    private static String run(int expectedStatus, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(expectedStatus, cli.execute(args), out::toString);
        return out.toString();
    }

    @Test
    void jsonHasOneStableObjectPerDomain() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            dns.txt("_dmarc.ok.example", "v=DMARC1; p=reject; rua=mailto:d@ok.example");
            dns.txt("ok.example", "v=spf1 ip4:192.0.2.0/24 -all");
            dns.txt("sel1._domainkey.ok.example", "v=DKIM1; p=");
            dns.txt("bad.example", "v=spf1 +all");
            String out = run(1, "check", "--no-store", "--dns", dns.hostPort(), "--timeout", "700", "--selector", "sel1", "--json",
                    "ok.example", "bad.example");
            List<String> lines = out.lines().toList();
            assertEquals(2, lines.size(), out);
            ObjectMapper mapper = new ObjectMapper();
            JsonNode ok = mapper.readTree(lines.get(0));
            assertEquals("ok.example", ok.get("domain").asText());
            assertEquals(0, ok.at("/summary/error").asInt());
            assertEquals("reject", ok.at("/dmarc/record/tags/1/value").asText());
            assertEquals("p", ok.at("/dmarc/record/tags/1/tag").asText());
            assertEquals("ok.example", ok.at("/dmarc/discovery/psl/found_at").asText());
            assertEquals(0, ok.at("/spf/lookups").asInt());
            assertEquals(10, ok.at("/spf/lookup_limit").asInt());
            assertEquals("sel1", ok.at("/dkim/0/selector").asText());
            assertTrue(ok.at("/dkim/0/revoked").asBoolean());
            assertTrue(ok.get("readiness").isNull());
            JsonNode bad = mapper.readTree(lines.get(1));
            assertEquals("error", bad.at("/findings/0/severity").asText(), "worst first");
            List<String> codes = bad.get("findings").findValuesAsText("code");
            assertTrue(codes.contains("dmarc.missing"), codes::toString);
            assertTrue(codes.contains("spf.plus-all"), codes::toString);
        }
    }

    @Test
    void textNamesEverySectionAndExitsZeroWithoutErrors() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            dns.txt("_dmarc.ok.example", "v=DMARC1; p=quarantine; rua=mailto:d@ok.example");
            dns.txt("ok.example", "v=spf1 include:_spf.ok.example -all");
            dns.txt("_spf.ok.example", "v=spf1 ip4:198.51.100.0/24 -all");
            String out = run(0, "check", "--no-store", "--dns", dns.hostPort(), "--timeout", "700", "ok.example");
            assertTrue(out.contains("DMARC   _dmarc.ok.example: v=DMARC1; p=quarantine"), out);
            assertTrue(out.contains("SPF     1 of 10 DNS lookups, 0 void"), out);
            assertTrue(out.contains("include:_spf.ok.example [0 lookups, 0 with includes]: v=spf1 ip4:198.51.100.0/24 -all"), out);
            assertTrue(out.contains("OK      dmarc.valid"), out);
        }
    }

    @Test
    void twoDmarcRecordsAreBothShownAndCheckedAndNeitherIsValid() throws Exception {
        try (LoopbackDnsServer dns = new LoopbackDnsServer()) {
            dns.txt("_dmarc.two.example", "v=DMARC1; p=reject; rua=mailto:d@two.example");
            dns.txt("_dmarc.two.example", "v=DMARC1; p=none; rua=mailto:r@collector.example.net");
            dns.txt("two.example", "v=spf1 -all");
            String out = run(1, "check", "--no-store", "--dns", dns.hostPort(), "--timeout", "700", "two.example");
            // every line but the explanations of the tags neither record sets (they read the same for both)
            List<String> lines = out.lines()
                    .filter(l -> !l.matches(" {8}(v|sp|np|adkim|aspf|pct|ruf|fo|rf|ri|t|psd) +.*")).toList();
            assertEquals(List.of(
                    "== two.example",
                    "DMARC   _dmarc.two.example: 2 records, receivers apply none of them",
                    "        record 1: v=DMARC1; p=reject; rua=mailto:d@two.example",
                    "        p      reject         mail from the domain itself that fails DMARC is rejected",
                    "        rua    mailto:d@two.example daily aggregate reports go to d@two.example",
                    "        record 2: v=DMARC1; p=none; rua=mailto:r@collector.example.net",
                    "        p      none           mail from the domain itself that fails DMARC is delivered as usual (monitoring)",
                    "        rua    mailto:r@collector.example.net daily aggregate reports go to r@collector.example.net",
                    "        rua r@collector.example.net: NOT authorised (two.example._report._dmarc.collector.example.net)",
                    "        (* = default)",
                    "SPF     0 of 10 DNS lookups, 0 void",
                    "        two.example [0 lookups, 0 with includes]: v=spf1 -all",
                    "MAIL    MX none; TLS-RPT no; MTA-STS no",
                    "FINDINGS",
                    "  ERROR   dmarc.multiple                 _dmarc.two.example has 2 DMARC records: receivers apply none "
                            + "of them (no policy, no reports); keep exactly one",
                    "  ERROR   dmarc.external-unauthorized    record 2: rua r@collector.example.net is outside two.example "
                            + "and collector.example.net has not authorised it: publish TXT \"v=DMARC1\" at "
                            + "two.example._report._dmarc.collector.example.net, or receivers will not send these reports",
                    "  INFO    dmarc.monitoring               record 2: p=none: monitoring only, failing mail is delivered as usual",
                    "  INFO    mx.none                        two.example has no MX record: it receives no mail (reports about it still come in)",
                    "  INFO    tlsrpt.missing                 no TLS-RPT record at _smtp._tls.two.example: publish "
                            + "\"v=TLSRPTv1; rua=mailto:...\" to receive SMTP TLS reports",
                    "  INFO    mtasts.missing                 no MTA-STS record at _mta-sts.two.example: senders may deliver "
                            + "without TLS when attacked",
                    "  OK      spf.lookups                    SPF needs 0 of at most 10 DNS lookups",
                    ""), lines);
            assertEquals(2 * 12, out.lines().count() - lines.size(), "the other 12 tags of each record are explained too");

            JsonNode json = new ObjectMapper().readTree(run(1, "check", "--no-store", "--dns", dns.hostPort(), "--timeout", "700",
                    "--json", "two.example"));
            assertTrue(json.at("/dmarc/record").isNull(), "no record applies");
            assertEquals(false, json.at("/dmarc/applied_by_receivers").asBoolean(true));
            assertEquals(List.of("v=DMARC1; p=reject; rua=mailto:d@two.example", "v=DMARC1; p=none; rua=mailto:r@collector.example.net"),
                    json.at("/dmarc/records").findValuesAsText("raw"));
            assertEquals("none", json.at("/dmarc/records/1/tags/1/value").asText());
            JsonNode external = json.at("/dmarc/records/1/external_destinations/0");
            assertEquals(2, external.get("record").asInt());
            assertEquals("two.example._report._dmarc.collector.example.net", external.get("query").asText());
            assertEquals(false, external.get("authorized").asBoolean(true));
            assertEquals(0, json.at("/dmarc/records/0/external_destinations").size(), "record 1 reports inside the domain");
            List<String> codes = json.get("findings").findValuesAsText("code");
            assertTrue(codes.contains("dmarc.multiple") && !codes.contains("dmarc.valid"), codes::toString);
        }
    }
}
