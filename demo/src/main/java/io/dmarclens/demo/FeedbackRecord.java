package io.dmarclens.demo;

import java.util.List;
import java.util.Objects;

/**
 * One {@code <record>} of an aggregate report as the generators write it: plain values, as they go into
 * the XML. A null optional value is not written.
 *
 * @param envelopeTo   {@code envelope_to}, or null
 * @param envelopeFrom {@code envelope_from}, or null
 */
record FeedbackRecord(String sourceIp, long count, String disposition, String dkim, String spf, List<Reason> reasons,
                      String headerFrom, String envelopeFrom, String envelopeTo, List<Dkim> dkimResults,
                      List<Spf> spfResults) {

    FeedbackRecord {
        Objects.requireNonNull(sourceIp, "source_ip");
        Objects.requireNonNull(disposition, "disposition");
        Objects.requireNonNull(dkim, "dkim");
        Objects.requireNonNull(spf, "spf");
        Objects.requireNonNull(headerFrom, "header_from");
        reasons = List.copyOf(reasons);
        dkimResults = List.copyOf(dkimResults);
        spfResults = List.copyOf(spfResults);
    }

    /** @param comment the {@code comment}, or null */
    record Reason(String type, String comment) {
        Reason {
            Objects.requireNonNull(type, "reason type");
        }
    }

    record Dkim(String domain, String selector, String result) {
        Dkim {
            Objects.requireNonNull(domain, "dkim domain");
            Objects.requireNonNull(result, "dkim result");
        }
    }

    /** @param scope the {@code scope} ({@code mfrom} or {@code helo}), or null */
    record Spf(String domain, String scope, String result) {
        Spf {
            Objects.requireNonNull(domain, "spf domain");
            Objects.requireNonNull(result, "spf result");
        }
    }
}
