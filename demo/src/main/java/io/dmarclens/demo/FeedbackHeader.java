package io.dmarclens.demo;

import java.util.Objects;

/**
 * What an aggregate report says before its records (RFC 7489 appendix C, and the DMARCbis aggregate
 * draft's additions). A null optional value is not written.
 *
 * @param namespace the document's default namespace (DMARCbis reporters write
 *                  {@code urn:ietf:params:xml:ns:dmarc-2.0}), or null
 * @param version   {@code version}, or null
 */
record FeedbackHeader(String namespace, String version, Metadata metadata, Policy policy) {

    FeedbackHeader {
        Objects.requireNonNull(metadata, "report_metadata");
        Objects.requireNonNull(policy, "policy_published");
    }

    /**
     * {@code report_metadata}.
     *
     * @param extraContactInfo {@code extra_contact_info}, or null
     * @param begin            start of the date range, epoch seconds
     * @param end              end of the date range, epoch seconds
     */
    record Metadata(String orgName, String email, String extraContactInfo, String reportId, long begin, long end) {
        Metadata {
            Objects.requireNonNull(orgName, "org_name");
            Objects.requireNonNull(email, "email");
            Objects.requireNonNull(reportId, "report_id");
        }
    }

    /**
     * {@code policy_published}; every value but {@code domain} and {@code p} is optional (null: not written).
     *
     * @param discoveryMethod {@code discovery_method} (DMARCbis: {@code psl} or {@code treewalk})
     * @param testing         {@code testing} (DMARCbis: {@code y} or {@code n}), which replaces {@code pct}
     */
    record Policy(String domain, String discoveryMethod, String adkim, String aspf, String p, String sp,
                  String testing, String pct, String np, String fo) {
        Policy {
            Objects.requireNonNull(domain, "policy domain");
            Objects.requireNonNull(p, "p");
        }

        /** The RFC 7489 elements alone, alignment relaxed. */
        static Policy rfc7489(String domain, String p, String sp, String pct, String fo) {
            return new Policy(domain, null, "r", "r", p, sp, null, pct, null, fo);
        }
    }
}
