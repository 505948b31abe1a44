package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ReportSource;

/**
 * Everything of an aggregate report but its records, handed over before the first record.
 *
 * @param source    where it was read from
 * @param version   the {@code <version>} element as written, or null (most reporters omit it)
 * @param namespace the root element's namespace URI, empty when none
 *                  ({@code urn:ietf:params:xml:ns:dmarc-2.0} for RFC 9990 reports)
 * @param metadata  report_metadata
 * @param policy    policy_published
 */
public record AggregateHeader(ReportSource source, String version, String namespace,
                              ReportMetadata metadata, PolicyPublished policy) {
}
