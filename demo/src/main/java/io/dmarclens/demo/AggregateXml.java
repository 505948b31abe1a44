package io.dmarclens.demo;

import io.dmarclens.demo.DemoWorld.Style;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes an aggregate report in the shape one reporter uses (namespace, version, which optional
 * elements it writes, element order, whitespace). The StAX writer does the escaping.
 */
final class AggregateXml {
    private static final String DMARC2 = "urn:ietf:params:xml:ns:dmarc-2.0";
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    /** Everything one report says. */
    record Report(Style style, String orgName, String email, String extraContactInfo, String reportId, long begin,
                  long end, String domain, String policy, String fo, List<DemoRecord> records) {
    }

    private final Report report;
    private final XMLStreamWriter xml;
    private final String eol;
    private final String indent;
    private int depth;

    private AggregateXml(Report report, XMLStreamWriter xml) {
        this.report = report;
        this.xml = xml;
        Style s = report.style();
        this.eol = s == Style.MAILRU ? "" : s == Style.YAHOO ? "\t\n" : s == Style.MICROSOFT ? "\r\n" : "\n";
        this.indent = s == Style.MAILRU ? "" : s == Style.FASTMAIL ? "\t" : s == Style.GMX ? "   " : "  ";
    }

    static byte[] write(Report report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        String declaration = switch (report.style()) {
            case MAILRU -> "<?xml version='1.0' encoding='utf-8'?>";
            case GOOGLE -> "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n";
            case YAHOO -> "<?xml version=\"1.0\"?>\t\n";
            case MICROSOFT -> "<?xml version=\"1.0\"?>\r\n";
            default -> "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
        };
        out.writeBytes(declaration.getBytes(StandardCharsets.US_ASCII));
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            new AggregateXml(report, xml).feedback();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new UncheckedIOException(new java.io.IOException("cannot write demo report", e));
        }
        if (report.style() != Style.MAILRU) {
            out.writeBytes("\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    private void feedback() throws XMLStreamException {
        Style s = report.style();
        xml.writeStartElement("feedback");
        if (s == Style.GMX) {
            xml.writeDefaultNamespace(DMARC2);
        } else if (s == Style.MICROSOFT) {
            xml.writeNamespace("xsd", "http://www.w3.org/2001/XMLSchema");
            xml.writeNamespace("xsi", "http://www.w3.org/2001/XMLSchema-instance");
        }
        depth++;
        if (s == Style.MICROSOFT || s == Style.COMCAST || s == Style.FASTMAIL || s == Style.GMX) {
            leaf("version", "1.0");
        }
        open("report_metadata");
        leaf("org_name", report.orgName());
        leaf("email", report.email());
        if (report.extraContactInfo() != null) {
            leaf("extra_contact_info", report.extraContactInfo());
        }
        leaf("report_id", report.reportId());
        open("date_range");
        leaf("begin", Long.toString(report.begin()));
        leaf("end", Long.toString(report.end()));
        close();
        close();
        policyPublished();
        for (DemoRecord r : report.records()) {
            record(r);
        }
        depth--;
        newline();
        xml.writeEndElement();
    }

    private void policyPublished() throws XMLStreamException {
        Style s = report.style();
        open("policy_published");
        leaf("domain", report.domain());
        if (s == Style.GMX) {
            leaf("discovery_method", "psl");
        }
        leaf("adkim", "r");
        leaf("aspf", "r");
        leaf("p", report.policy());
        if (s != Style.YAHOO) {
            leaf("sp", report.policy());
        }
        if (s == Style.GMX) {
            leaf("testing", "n");
        } else {
            leaf("pct", "100");
        }
        if (s == Style.GOOGLE) {
            leaf("np", report.policy());
        }
        if (s == Style.MICROSOFT || s == Style.COMCAST || s == Style.FASTMAIL) {
            leaf("fo", report.fo());
        }
        close();
    }

    private void record(DemoRecord r) throws XMLStreamException {
        Style s = report.style();
        boolean writesEnvelopeFrom = s != Style.GOOGLE && s != Style.YAHOO && s != Style.MAILRU;
        boolean writesScope = s != Style.GOOGLE && s != Style.YAHOO;
        open("record");
        open("row");
        leaf("source_ip", r.sourceIp());
        leaf("count", Long.toString(r.count()));
        open("policy_evaluated");
        leaf("disposition", r.disposition());
        leaf("dkim", r.dkim());
        leaf("spf", r.spf());
        for (DemoRecord.Reason reason : r.reasons()) {
            open("reason");
            leaf("type", reason.type());
            leaf("comment", reason.comment());
            close();
        }
        close();
        close();
        open("identifiers");
        if (r.envelopeTo() != null && s == Style.MICROSOFT) {
            leaf("envelope_to", r.envelopeTo());
        }
        if (writesEnvelopeFrom) {
            leaf("envelope_from", r.envelopeFrom());
        }
        leaf("header_from", r.headerFrom());
        close();
        open("auth_results");
        for (DemoRecord.Dkim d : r.dkimResults()) {
            open("dkim");
            leaf("domain", d.domain());
            leaf("selector", d.selector());
            leaf("result", d.result());
            close();
        }
        for (DemoRecord.Spf spf : r.spfResults()) {
            open("spf");
            leaf("domain", spf.domain());
            if (writesScope) {
                leaf("scope", "mfrom");
            }
            leaf("result", spf.result());
            close();
        }
        close();
        close();
    }

    private void open(String name) throws XMLStreamException {
        newline();
        xml.writeStartElement(name);
        depth++;
    }

    private void close() throws XMLStreamException {
        depth--;
        newline();
        xml.writeEndElement();
    }

    private void leaf(String name, String value) throws XMLStreamException {
        newline();
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private void newline() throws XMLStreamException {
        if (!eol.isEmpty()) {
            xml.writeCharacters(eol + indent.repeat(depth));
        }
    }
}
