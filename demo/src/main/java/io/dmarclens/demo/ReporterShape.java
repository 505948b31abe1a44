package io.dmarclens.demo;

import io.dmarclens.demo.DemoWorld.Style;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape each demo reporter gives its aggregate reports, as seen in real ones: namespace, version,
 * which optional elements it writes, and its whitespace. {@link AggregateXmlWriter} writes the result.
 */
final class ReporterShape {
    private static final String DMARC2 = "urn:ietf:params:xml:ns:dmarc-2.0";
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

    /** Google's layout: a space before {@code ?>}, two-space indentation. */
    static final XmlLayout GOOGLE = new XmlLayout("<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n", "\n", "  ",
            List.of(), true);

    /** Everything one report says. */
    record Report(Style style, String orgName, String email, String extraContactInfo, String reportId, long begin,
                  long end, String domain, String policy, String fo, List<FeedbackRecord> records) {
    }

    private ReporterShape() {
    }

    static byte[] write(Report report) {
        Style s = report.style();
        FeedbackHeader header = new FeedbackHeader(s == Style.GMX ? DMARC2 : null,
                s == Style.MICROSOFT || s == Style.COMCAST || s == Style.FASTMAIL || s == Style.GMX ? "1.0" : null,
                new FeedbackHeader.Metadata(report.orgName(), report.email(), report.extraContactInfo(),
                        report.reportId(), report.begin(), report.end()),
                new FeedbackHeader.Policy(report.domain(), s == Style.GMX ? "psl" : null, "r", "r", report.policy(),
                        s == Style.YAHOO ? null : report.policy(), s == Style.GMX ? "n" : null,
                        s == Style.GMX ? null : "100", s == Style.GOOGLE ? report.policy() : null,
                        s == Style.MICROSOFT || s == Style.COMCAST || s == Style.FASTMAIL ? report.fo() : null));
        List<FeedbackRecord> records = new ArrayList<>(report.records().size());
        for (FeedbackRecord r : report.records()) {
            records.add(shape(s, r));
        }
        return AggregateXmlWriter.toBytes(layout(s), header, records);
    }

    private static XmlLayout layout(Style s) {
        return switch (s) {
            case GOOGLE -> GOOGLE;
            case MAILRU -> new XmlLayout("<?xml version='1.0' encoding='utf-8'?>", "", "", List.of(), false);
            case YAHOO -> new XmlLayout("<?xml version=\"1.0\"?>\t\n", "\t\n", "  ", List.of(), true);
            case MICROSOFT -> new XmlLayout("<?xml version=\"1.0\"?>\r\n", "\r\n", "  ", List.of(
                    new XmlLayout.Prefix("xsd", "http://www.w3.org/2001/XMLSchema"),
                    new XmlLayout.Prefix("xsi", "http://www.w3.org/2001/XMLSchema-instance")), true);
            case FASTMAIL -> new XmlLayout(DECLARATION, "\n", "\t", List.of(), true);
            case GMX -> new XmlLayout(DECLARATION, "\n", "   ", List.of(), true);
            case COMCAST -> XmlLayout.PRETTY;
        };
    }

    /** Google, Yahoo and Mail.ru leave out envelope_from; Google and Yahoo the SPF scope; only Microsoft writes envelope_to. */
    private static FeedbackRecord shape(Style s, FeedbackRecord r) {
        boolean envelopeFrom = s != Style.GOOGLE && s != Style.YAHOO && s != Style.MAILRU;
        boolean scope = s != Style.GOOGLE && s != Style.YAHOO;
        List<FeedbackRecord.Spf> spf = r.spfResults().stream()
                .map(x -> new FeedbackRecord.Spf(x.domain(), scope ? x.scope() : null, x.result())).toList();
        return new FeedbackRecord(r.sourceIp(), r.count(), r.disposition(), r.dkim(), r.spf(), r.reasons(),
                r.headerFrom(), envelopeFrom ? r.envelopeFrom() : null, s == Style.MICROSOFT ? r.envelopeTo() : null,
                r.dkimResults(), spf);
    }
}
