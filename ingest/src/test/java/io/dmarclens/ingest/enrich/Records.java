package io.dmarclens.ingest.enrich;

import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.Alignment;
import io.dmarclens.parser.aggregate.AuthResult;
import io.dmarclens.parser.aggregate.DkimAuthResult;
import io.dmarclens.parser.aggregate.Disposition;
import io.dmarclens.parser.aggregate.DmarcResult;
import io.dmarclens.parser.aggregate.PolicyOverride;
import io.dmarclens.parser.aggregate.PolicyOverrideReason;
import io.dmarclens.parser.aggregate.PolicyPublished;
import io.dmarclens.parser.aggregate.SpfAuthResult;
import java.util.ArrayList;
import java.util.List;

/** Builds aggregate records for enrichment tests, one field at a time. */
final class Records {
    private String ip = "192.0.2.1";
    private String headerFrom = "example.com";
    private String envelopeFrom = "example.com";
    private DmarcResult dkim;
    private DmarcResult spf;
    private final List<PolicyOverrideReason> reasons = new ArrayList<>();
    private final List<DkimAuthResult> dkimResults = new ArrayList<>();
    private final List<SpfAuthResult> spfResults = new ArrayList<>();

    static Records record() {
        return new Records();
    }

    static PolicyPublished policy(String domain, Alignment adkim, Alignment aspf) {
        return new PolicyPublished(domain, Disposition.REJECT, Disposition.REJECT, Disposition.REJECT, adkim, aspf,
                100, "0", "n", null);
    }

    static PolicyPublished relaxed(String domain) {
        return policy(domain, Alignment.RELAXED, Alignment.RELAXED);
    }

    Records ip(String value) {
        ip = value;
        return this;
    }

    Records from(String value) {
        headerFrom = value;
        return this;
    }

    Records envelope(String value) {
        envelopeFrom = value;
        return this;
    }

    Records evaluated(DmarcResult dkimResult, DmarcResult spfResult) {
        dkim = dkimResult;
        spf = spfResult;
        return this;
    }

    Records dkim(String domain, AuthResult result) {
        dkimResults.add(new DkimAuthResult(domain, "s1", result, result.token(), null));
        return this;
    }

    Records spf(String domain, AuthResult result) {
        spfResults.add(new SpfAuthResult(domain, "mfrom", result, result.token(), null));
        return this;
    }

    Records helo(String domain, AuthResult result) {
        spfResults.add(new SpfAuthResult(domain, "helo", result, result.token(), null));
        return this;
    }

    Records reason(PolicyOverride type, String comment) {
        reasons.add(new PolicyOverrideReason(type, type.token(), comment));
        return this;
    }

    AggregateRecord build() {
        return new AggregateRecord(0, ip, 3, Disposition.NONE, dkim, spf, reasons, headerFrom, envelopeFrom, null,
                dkimResults, spfResults);
    }
}
