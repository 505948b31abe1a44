package io.dmarclens.posture;

import java.util.List;

/**
 * A parsed DMARC policy record with every tag explained and the defaults filled in.
 *
 * @param raw      the TXT record as published
 * @param tags     every tag of RFC 7489 and RFC 9989, in a fixed order, with its effective value
 * @param rua      aggregate report destinations
 * @param ruf      failure report destinations
 * @param findings what is wrong or notable about the record itself
 */
public record DmarcRecord(String raw, List<TagExplanation> tags, List<ReportUri> rua, List<ReportUri> ruf,
                          List<Finding> findings) {
    public DmarcRecord {
        tags = List.copyOf(tags);
        rua = List.copyOf(rua);
        ruf = List.copyOf(ruf);
        findings = List.copyOf(findings);
    }

    /** The effective value of a tag (published or default), or null. */
    public String value(String tag) {
        return tags.stream().filter(t -> t.tag().equals(tag)).map(TagExplanation::value).findFirst().orElse(null);
    }

    /**
     * One tag in plain language.
     *
     * @param tag       the tag name, e.g. "p"
     * @param value     the effective value (published, or the default), null when it has none
     * @param published true when the record states it, false when the default applies
     * @param meaning   what this value does, in words for a postmaster
     */
    public record TagExplanation(String tag, String value, boolean published, String meaning) {
    }

    /**
     * A report destination from rua or ruf.
     *
     * @param uri       as written
     * @param address   the mailbox for mailto: URIs, else null
     * @param host      the destination host (domain of the mailbox), or null
     * @param sizeLimit the obsolete {@code !size} suffix as written, or null
     */
    public record ReportUri(String uri, String address, String host, String sizeLimit) {
    }
}
