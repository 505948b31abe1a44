package io.dmarclens.ingest.enrich;

import static io.dmarclens.ingest.enrich.Records.policy;
import static io.dmarclens.ingest.enrich.Records.record;
import static io.dmarclens.ingest.enrich.Records.relaxed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DmarcResult;
import org.junit.jupiter.api.Test;

class AlignmentCheckTest {
    private final DomainNames domains = new DomainNames();
    private final AlignmentCheck check = new AlignmentCheck(domains);

    @Test
    void organisationalDomainFollowsThePublicSuffixList() {
        assertEquals("example.co.uk", domains.organisational("Mail.Example.CO.UK."));
        assertEquals("example.com", domains.organisational("a.b.example.com"));
        assertEquals("co.uk", domains.organisational("co.uk"));
        assertEquals("example.internal", domains.organisational("mx.example.internal"));
        assertNull(domains.organisational("  "));
    }

    @Test
    void relaxedAlignmentIsTheSameOrganisationalDomainStrictIsExact() {
        assertTrue(domains.aligned("mail.example.com", "EXAMPLE.com.", false));
        assertFalse(domains.aligned("mail.example.com", "example.com", true));
        assertTrue(domains.aligned("Example.COM.", "example.com", true));
        assertFalse(domains.aligned("example.co.uk", "other.co.uk", false));
        assertFalse(domains.aligned(null, "example.com", false));
    }

    @Test
    void relaxedDkimOnASubdomainAligns() {
        var verdict = check.check(relaxed("example.com"), record().dkim("news.example.com", AuthResult.PASS)
                .spf("bounce.esp.net", AuthResult.PASS).evaluated(DmarcResult.PASS, DmarcResult.FAIL).build());
        assertEquals("news.example.com", verdict.dkimAlignedDomain());
        assertFalse(verdict.spfAligned());
        assertEquals("bounce.esp.net", verdict.spfPassedDomain());
        assertTrue(verdict.dmarcPass());
        assertFalse(verdict.verdictDisagrees());
    }

    @Test
    void strictModesNeedExactDomains() {
        var verdict = check.check(policy("example.com", Alignment.STRICT, Alignment.STRICT),
                record().dkim("news.example.com", AuthResult.PASS).spf("mail.example.com", AuthResult.PASS)
                        .evaluated(DmarcResult.FAIL, DmarcResult.FAIL).build());
        assertFalse(verdict.dkimAligned());
        assertFalse(verdict.spfAligned());
        assertFalse(verdict.verdictDisagrees());
    }

    @Test
    void aFailingSignatureOfTheRightDomainDoesNotAlign() {
        var verdict = check.check(relaxed("example.com"), record().dkim("example.com", AuthResult.FAIL)
                .spf("example.com", AuthResult.SOFTFAIL).build());
        assertFalse(verdict.dmarcPass());
        assertTrue(verdict.spfFailed());
    }

    @Test
    void aReporterVerdictThatDiffersFromTheResultsIsFlagged() {
        var verdict = check.check(relaxed("example.com"), record().dkim("example.com", AuthResult.PASS)
                .spf("example.com", AuthResult.FAIL).evaluated(DmarcResult.FAIL, DmarcResult.FAIL).build());
        assertTrue(verdict.dkimAligned());
        assertTrue(verdict.verdictDisagrees());
    }

    @Test
    void heloCountsOnlyForTheNullSender() {
        var withSender = check.check(relaxed("example.com"),
                record().envelope("other.net").helo("mx.example.com", AuthResult.PASS).build());
        assertFalse(withSender.spfAligned());
        var nullSender = check.check(relaxed("example.com"),
                record().envelope("").helo("mx.example.com", AuthResult.PASS).build());
        assertEquals("mx.example.com", nullSender.spfAlignedDomain());
    }
}
