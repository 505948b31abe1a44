package io.dmarclens.parser.aggregate;

import java.util.ArrayList;
import java.util.List;

/** The values of the record being read; one instance is reused for every record of a document. */
final class RecordParts {
    String sourceIp;
    String count;
    String disposition;
    String dkim;
    String spf;
    final List<PolicyOverrideReason> reasons = new ArrayList<>(2);
    String headerFrom;
    String envelopeFrom;
    String envelopeTo;
    final List<DkimAuthResult> dkimResults = new ArrayList<>(2);
    final List<SpfAuthResult> spfResults = new ArrayList<>(2);

    void clear() {
        sourceIp = count = disposition = dkim = spf = headerFrom = envelopeFrom = envelopeTo = null;
        reasons.clear();
        dkimResults.clear();
        spfResults.clear();
    }
}
