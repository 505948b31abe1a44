package io.dmarclens.demo;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The one writer of aggregate report XML: the {@code feedback} document with its metadata, published
 * policy and records, in the layout a reporter uses. It streams: the header goes out at once and each
 * record as it is given, so a report of millions of records needs no memory. The StAX writer escapes
 * every value; a character XML cannot carry at all is refused.
 */
final class AggregateXmlWriter implements Closeable {
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    private final OutputStream out;
    private final XmlLayout layout;
    private final XMLStreamWriter xml;
    /** Line end and indentation before an element at each depth (reports nest five deep). */
    private final String[] newlines = new String[8];
    private int depth;
    private boolean closed;

    private AggregateXmlWriter(OutputStream out, XmlLayout layout, XMLStreamWriter xml) {
        this.out = out;
        this.layout = layout;
        this.xml = xml;
        for (int d = 0; d < newlines.length; d++) {
            newlines[d] = layout.lineEnd() + layout.indent().repeat(d);
        }
    }

    /** Writes the declaration, {@code feedback}'s start, version, metadata and policy to {@code out}. */
    static AggregateXmlWriter start(OutputStream out, XmlLayout layout, FeedbackHeader header) throws IOException {
        out.write(layout.declaration().getBytes(StandardCharsets.UTF_8));
        try {
            AggregateXmlWriter writer = new AggregateXmlWriter(out, layout, OUTPUT.createXMLStreamWriter(out, "UTF-8"));
            writer.header(header);
            return writer;
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** A whole report in memory. */
    static byte[] toBytes(XmlLayout layout, FeedbackHeader header, List<FeedbackRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (AggregateXmlWriter writer = start(bytes, layout, header)) {
            for (FeedbackRecord r : records) {
                writer.record(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private void header(FeedbackHeader header) throws XMLStreamException {
        xml.writeStartElement("feedback");
        if (header.namespace() != null) {
            xml.writeDefaultNamespace(header.namespace());
        }
        for (XmlLayout.Prefix p : layout.prefixes()) {
            xml.writeNamespace(p.prefix(), p.uri());
        }
        depth++;
        optional("version", header.version());
        FeedbackHeader.Metadata m = header.metadata();
        open("report_metadata");
        leaf("org_name", m.orgName());
        leaf("email", m.email());
        optional("extra_contact_info", m.extraContactInfo());
        leaf("report_id", m.reportId());
        open("date_range");
        leaf("begin", Long.toString(m.begin()));
        leaf("end", Long.toString(m.end()));
        end();
        end();
        FeedbackHeader.Policy p = header.policy();
        open("policy_published");
        leaf("domain", p.domain());
        optional("discovery_method", p.discoveryMethod());
        optional("adkim", p.adkim());
        optional("aspf", p.aspf());
        leaf("p", p.p());
        optional("sp", p.sp());
        optional("testing", p.testing());
        optional("pct", p.pct());
        optional("np", p.np());
        optional("fo", p.fo());
        end();
    }

    /** Writes one record. */
    void record(FeedbackRecord r) throws IOException {
        try {
            open("record");
            open("row");
            leaf("source_ip", r.sourceIp());
            leaf("count", Long.toString(r.count()));
            open("policy_evaluated");
            leaf("disposition", r.disposition());
            leaf("dkim", r.dkim());
            leaf("spf", r.spf());
            for (FeedbackRecord.Reason reason : r.reasons()) {
                open("reason");
                leaf("type", reason.type());
                optional("comment", reason.comment());
                end();
            }
            end();
            end();
            open("identifiers");
            optional("envelope_to", r.envelopeTo());
            optional("envelope_from", r.envelopeFrom());
            leaf("header_from", r.headerFrom());
            end();
            open("auth_results");
            for (FeedbackRecord.Dkim d : r.dkimResults()) {
                open("dkim");
                leaf("domain", d.domain());
                optional("selector", d.selector());
                leaf("result", d.result());
                end();
            }
            for (FeedbackRecord.Spf spf : r.spfResults()) {
                open("spf");
                leaf("domain", spf.domain());
                optional("scope", spf.scope());
                leaf("result", spf.result());
                end();
            }
            end();
            end();
        } catch (XMLStreamException e) {
            throw failed(e);
        }
    }

    /** Ends the document and flushes it; {@code out} stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            depth--;
            newline();
            xml.writeEndElement();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw failed(e);
        }
        if (layout.newlineAtEnd()) {
            out.write('\n');
        }
        out.flush();
    }

    private void open(String name) throws XMLStreamException {
        newline();
        xml.writeStartElement(name);
        depth++;
    }

    private void end() throws XMLStreamException {
        depth--;
        newline();
        xml.writeEndElement();
    }

    private void optional(String name, String value) throws XMLStreamException {
        if (value != null) {
            leaf(name, value);
        }
    }

    private void leaf(String name, String value) throws XMLStreamException {
        checkCharacters(name, value);
        newline();
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private void newline() throws XMLStreamException {
        if (!layout.lineEnd().isEmpty()) {
            xml.writeCharacters(newlines[depth]);
        }
    }

    /** XML 1.0 has no way to write most control characters or a lone surrogate, escaped or not. */
    private static void checkCharacters(String element, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
                continue;
            }
            boolean ok = c >= 0x20 ? !Character.isSurrogate(c) && c != 0xFFFE && c != 0xFFFF
                    : c == '\t' || c == '\n' || c == '\r';
            if (!ok) {
                throw new IllegalArgumentException(String.format(
                        "%s holds U+%04X at index %d, which XML 1.0 cannot carry", element, (int) c, i));
            }
        }
    }

    private static IOException failed(XMLStreamException e) {
        return new IOException("cannot write the aggregate report: " + e.getMessage(), e);
    }
}
