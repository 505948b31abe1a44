package io.dmarclens.ingest.pipeline;

import io.dmarclens.ingest.dkim.MailSignatures;
import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;

/**
 * The verdict on the origin of each report of one input: every report of a file imported by hand is
 * {@link Authenticity#imported()}; the reports of a mail a stranger sent are judged by the mail's DKIM
 * signatures against each report's own reporter domain ({@link MailSignatures}).
 */
interface ReportOrigins {
    Authenticity aggregate(AggregateHeader header);

    Authenticity failure(FailureReport report);

    Authenticity tls(TlsReport report);

    /** A file imported by hand: the user vouches for it. */
    static ReportOrigins imported() {
        return new ReportOrigins() {
            @Override
            public Authenticity aggregate(AggregateHeader header) {
                return Authenticity.imported();
            }

            @Override
            public Authenticity failure(FailureReport report) {
                return Authenticity.imported();
            }

            @Override
            public Authenticity tls(TlsReport report) {
                return Authenticity.imported();
            }
        };
    }

    /** A mail whose DKIM check found {@code signatures}. */
    static ReportOrigins of(MailSignatures signatures, DomainNames names) {
        return new ReportOrigins() {
            @Override
            public Authenticity aggregate(AggregateHeader header) {
                return signatures.verdictFor(header.metadata(), names);
            }

            @Override
            public Authenticity failure(FailureReport report) {
                return signatures.verdictFor(report, names);
            }

            @Override
            public Authenticity tls(TlsReport report) {
                return signatures.verdictFor(report, names);
            }
        };
    }
}
