package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * The {@link XmlCursor} over a StAX (Woodstox) stream: reads any document Woodstox reads, and is the
 * only cursor of the recovery pass.
 */
final class StaxCursor implements XmlCursor {
    private final XMLStreamReader2 xml;
    private final ReportSource source;
    private final ParserLimits limits;
    private final WarningLog warnings;
    private final StringBuilder text = new StringBuilder(64);
    private String namespace = "";

    StaxCursor(XMLStreamReader2 xml, ReportSource source, ParserLimits limits, WarningLog warnings) {
        this.xml = xml;
        this.source = source;
        this.limits = limits;
        this.warnings = warnings;
    }

    @Override
    public void toRoot() throws XMLStreamException, ReportParseException {
        int event = xml.getEventType();
        while (event != XMLStreamConstants.START_ELEMENT) {
            if (event == XMLStreamConstants.DTD) {
                throw new ReportParseException(source, "XML declares a DTD (<!DOCTYPE ...>) at line "
                        + xml.getLocation().getLineNumber() + ": refused, DMARC reports have none and DTDs "
                        + "can carry entity attacks (external entities, entity expansion)");
            }
            if (event == XMLStreamConstants.END_DOCUMENT) {
                throw new ReportParseException(source, "XML is not a DMARC report: it holds no element");
            }
            event = xml.next();
        }
    }

    @Override
    public String localName() {
        return xml.getLocalName();
    }

    @Override
    public String prefixedName() {
        return xml.getPrefixedName();
    }

    @Override
    public String namespaceUri() {
        String ns = xml.getNamespaceURI();
        return ns == null ? "" : ns;
    }

    @Override
    public XMLStreamException error(String message) {
        return new XMLStreamException(message, xml.getLocation());
    }

    @Override
    public void namespace(String uri) {
        namespace = uri == null ? "" : uri;
    }

    @Override
    public boolean nextChild() throws XMLStreamException {
        for (;;) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            }
            if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
            // Whitespace, comments and stray text between elements carry no report data.
        }
    }

    @Override
    public String leaf(int index, String path) throws XMLStreamException, ReportParseException {
        return leaf0(index, path);
    }

    @Override
    public String leaf(String path) throws XMLStreamException, ReportParseException {
        return leaf0(-1, path);
    }

    /** The trimmed text of the current element; nested elements are skipped with a warning. */
    private String leaf0(int index, String path) throws XMLStreamException, ReportParseException {
        String first = null;
        text.setLength(0);
        for (;;) {
            int event = xml.next();
            switch (event) {
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    if (first == null && text.length() == 0) {
                        first = xml.getText();
                    } else {
                        if (first != null) {
                            text.append(first);
                            first = null;
                        }
                        text.append(xml.getTextCharacters(), xml.getTextStart(), xml.getTextLength());
                    }
                    int length = first != null ? first.length() : text.length();
                    if (length > limits.maxTextLength()) {
                        throw new LimitExceededException(source, "XML text of <" + path + "> is longer than "
                                + limits.maxTextLength() + " characters (line " + xml.getLocation().getLineNumber() + ")");
                    }
                    break;
                case XMLStreamConstants.START_ELEMENT:
                    String nested = xml.getPrefixedName();
                    warn(index, path, "unexpected element <" + nested + "> inside a value; ignored");
                    skip();
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    warn(index, path, "entity reference &" + xml.getLocalName() + "; not expanded; left out");
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    return first != null ? first.strip() : text.toString().strip();
                default:
                    // comments and processing instructions inside a value
            }
        }
    }

    @Override
    public void skip() throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    @Override
    public void unknown(int index, String parentPath) throws XMLStreamException {
        String ns = xml.getNamespaceURI();
        boolean extension = ns != null && !ns.isEmpty() && !ns.equals(namespace);
        if (!extension) {
            warn(index, parentPath + xml.getLocalName(),
                    "unknown element <" + xml.getPrefixedName() + "> ignored");
        }
        skip();
    }

    private void warn(int index, String path, String message) {
        if (index >= 0) {
            warnings.record(index, path, message);
        } else {
            warnings.add(path, message);
        }
    }
}
