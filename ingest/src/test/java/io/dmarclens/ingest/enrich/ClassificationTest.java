package io.dmarclens.ingest.enrich;

import static io.dmarclens.ingest.enrich.Records.record;
import static io.dmarclens.ingest.enrich.Records.relaxed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.store.enrichment.Classification;
import io.dmarclens.store.enrichment.RecordEnrichment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classification rules of docs/classification.md, case by case. */
class ClassificationTest {
    private final Enricher enricher = new Enricher(SenderDirectory.builtIn(), GeoLookup.NONE,
            new OwnSenders(List.of("198.51.100.0/24", "relay.example.net")));

    private RecordEnrichment classify(Records r, String ptr) {
        var rec = r.build();
        return enricher.enrich(relaxed("example.com"), rec, enricher.sender(rec.sourceIp(), ptr));
    }

    private static void assertClass(Classification expected, String reasonPart, RecordEnrichment e) {
        assertEquals(expected, e.classification(), e.classificationReason());
        assertTrue(e.classificationReason().contains(reasonPart),
                () -> "reason '" + e.classificationReason() + "' should mention '" + reasonPart + "'");
    }

    @Test
    void alignedMailFromTheProviderIsCompliant() {
        var e = classify(record().ip("209.85.220.41").dkim("example.com", AuthResult.PASS)
                .spf("example.com", AuthResult.PASS).evaluated(DmarcResult.PASS, DmarcResult.PASS),
                "mail-sor-f41.google.com");
        assertClass(Classification.COMPLIANT, "DKIM aligned pass (d=example.com)", e);
        assertEquals("Google", e.sender().senderName());
        assertEquals("google.com", e.sender().baseDomain());
        assertTrue(e.dmarcPass());
    }

    @Test
    void anEspWithAlignedDkimAndItsOwnBounceDomainIsCompliant() {
        var e = classify(record().ip("167.89.1.2").envelope("em123.example.com").dkim("example.com", AuthResult.PASS)
                .spf("sendgrid.net", AuthResult.PASS).evaluated(DmarcResult.PASS, DmarcResult.FAIL),
                "o1.ptr2623.sendgrid.net");
        assertClass(Classification.COMPLIANT, "DMARC pass", e);
        assertEquals("SendGrid", e.sender().senderName());
    }

    @Test
    void dkimSurvivingWhileSpfBreaksFromAnUnknownHostIsForwarded() {
        var e = classify(record().ip("203.0.113.7").dkim("example.com", AuthResult.PASS)
                .spf("example.com", AuthResult.FAIL).evaluated(DmarcResult.PASS, DmarcResult.FAIL),
                "smtp.uni-example.edu");
        assertClass(Classification.FORWARDED, "survived while SPF failed", e);
        assertTrue(e.dmarcPass(), "forwarded mail may still pass DMARC");
    }

    @Test
    void aMailingListHostThatBrokeDkimIsForwarded() {
        var e = classify(record().ip("203.0.113.20").envelope("lists.fedora-example.org")
                .dkim("example.com", AuthResult.FAIL).spf("lists.fedora-example.org", AuthResult.PASS)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL), "lists.fedora-example.org");
        assertClass(Classification.FORWARDED, "Mailing list", e);
    }

    @Test
    void googleGroupsIsRecognisedByItsSpfDomainOnGoogleHosts() {
        var e = classify(record().ip("209.85.220.69").envelope("googlegroups.com")
                .dkim("example.com", AuthResult.FAIL).spf("googlegroups.com", AuthResult.PASS)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL), "mail-sor-f69.google.com");
        assertClass(Classification.FORWARDED, "Google Groups", e);
    }

    @Test
    void aKnownForwardingServiceIsForwarded() {
        var e = classify(record().ip("208.72.237.35").dkim("example.com", AuthResult.FAIL)
                .spf("example.com", AuthResult.SOFTFAIL).evaluated(DmarcResult.FAIL, DmarcResult.FAIL),
                "pb-smtp21.pobox.com");
        assertClass(Classification.FORWARDED, "Pobox (Forwarder)", e);
    }

    @Test
    void overrideReasonsOfTheReceiverMeanForwarded() {
        var e = classify(record().ip("203.0.113.30").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL).reason(PolicyOverride.MAILING_LIST, "list"), null);
        assertClass(Classification.FORWARDED, "override 'mailing_list' (list)", e);
        var trusted = classify(record().ip("203.0.113.31").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL).reason(PolicyOverride.TRUSTED_FORWARDER, null), null);
        assertClass(Classification.FORWARDED, "override 'trusted_forwarder'", trusted);
    }

    @Test
    void localPolicyCountsAsForwardedOnlyWithArc() {
        var arc = classify(record().ip("203.0.113.40").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL)
                .reason(PolicyOverride.LOCAL_POLICY, "arc=pass as.1.google.com=pass"), null);
        assertClass(Classification.FORWARDED, "local_policy on the strength of ARC", arc);
        var noArc = classify(record().ip("203.0.113.41").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL)
                .reason(PolicyOverride.LOCAL_POLICY, "whitelisted by the administrator"), null);
        assertEquals(Classification.THREAT, noArc.classification(), noArc.classificationReason());
    }

    @Test
    void aKnownServiceFailingAlignmentIsMisconfigured() {
        var e = classify(record().ip("198.2.128.10").envelope("bounce.mcsv.net").dkim("mcsv.net", AuthResult.PASS)
                .spf("mcsv.net", AuthResult.PASS).evaluated(DmarcResult.FAIL, DmarcResult.FAIL),
                "mail10.atl21.mcsv.net");
        assertClass(Classification.MISCONFIGURED, "Mailchimp (Marketing) sends as example.com but fails DMARC", e);
    }

    @Test
    void aKnownServiceIsRecognisedByItsSpfDomainWithoutReverseDns() {
        var e = classify(record().ip("54.240.8.1").envelope("amazonses.com").dkim("amazonses.com", AuthResult.PASS)
                .spf("amazonses.com", AuthResult.PASS).evaluated(DmarcResult.FAIL, DmarcResult.FAIL), null);
        assertClass(Classification.MISCONFIGURED, "Amazon SES", e);
    }

    @Test
    void theDomainsOwnServersFailingAreMisconfigured() {
        var byPtr = classify(record().ip("192.0.2.25").dkim("example.com", AuthResult.FAIL)
                .spf("example.com", AuthResult.FAIL).evaluated(DmarcResult.FAIL, DmarcResult.FAIL), "mx2.example.com");
        assertClass(Classification.MISCONFIGURED, "the domain's own infrastructure", byPtr);
        var byRange = classify(record().ip("198.51.100.77").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL), null);
        assertClass(Classification.MISCONFIGURED, "own infrastructure (198.51.100.77)", byRange);
        var byHost = classify(record().ip("192.0.2.99").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL), "out1.relay.example.net");
        assertClass(Classification.MISCONFIGURED, "own infrastructure", byHost);
    }

    @Test
    void ownInfrastructureWithDkimOnlyIsCompliantNotForwarded() {
        var e = classify(record().ip("192.0.2.26").dkim("example.com", AuthResult.PASS)
                .spf("example.com", AuthResult.FAIL).evaluated(DmarcResult.PASS, DmarcResult.FAIL), "mx3.example.com");
        assertEquals(Classification.COMPLIANT, e.classification(), e.classificationReason());
    }

    @Test
    void aSpooferIsAThreat() {
        var e = classify(record().ip("185.220.101.4").envelope("bulk-mailer.example")
                .spf("bulk-mailer.example", AuthResult.PASS).evaluated(DmarcResult.FAIL, DmarcResult.FAIL), null);
        assertClass(Classification.THREAT, "fails DMARC from an unknown source (185.220.101.4)", e);
        assertFalse(e.dmarcPass());
    }

    @Test
    void aSpooferOnRentedHostingIsStillAThreat() {
        var e = classify(record().ip("3.120.1.1").spf("example.com", AuthResult.FAIL)
                .evaluated(DmarcResult.FAIL, DmarcResult.FAIL), "ec2-3-120-1-1.eu-central-1.compute.amazonaws.com");
        assertClass(Classification.THREAT, "Amazon Web Services", e);
    }

    @Test
    void theReportersPassVerdictWinsWhenItsResultsAreIncomplete() {
        var e = classify(record().ip("192.0.2.50").evaluated(DmarcResult.PASS, DmarcResult.FAIL), null);
        assertClass(Classification.COMPLIANT, "reporter's evaluation", e);
        assertTrue(e.verdictDisagrees());
    }

    @Test
    void usersExtendTheSenderList(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("senders.tsv");
        Files.writeString(mine, "# ours\npartner-mail.example\tPartner CRM\tCRM\nsendgrid.net\tSendGrid (ours)\tESP\n");
        SenderDirectory directory = SenderDirectory.withUserFile(mine);
        assertEquals("Partner CRM", directory.byHostName("out.partner-mail.example").orElseThrow().name());
        assertEquals("SendGrid (ours)", directory.byHostName("o1.sendgrid.net").orElseThrow().name());
        assertEquals("Mailchimp", directory.byHostName("mail1.mcsv.net").orElseThrow().name());
        assertTrue(SenderDirectory.builtIn().size() >= 150, "at least 150 known senders");
    }

    @Test
    void longestListedDomainWins() {
        SenderDirectory directory = SenderDirectory.builtIn();
        assertEquals("Microsoft 365",
                directory.byHostName("mail-db8eur05on2100.outbound.protection.outlook.com").orElseThrow().name());
        assertEquals("Microsoft Outlook.com", directory.byHostName("mail.outlook.com").orElseThrow().name());
        assertEquals("Mailing list", directory.byHostName("lists.example.org").orElseThrow().type());
        assertTrue(directory.byHostName("mx.unknown-host.example").isEmpty());
    }
}
