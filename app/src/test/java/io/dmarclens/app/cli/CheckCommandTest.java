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
}
