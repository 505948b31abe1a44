package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.codehaus.stax2.XMLStreamReader2;

/**
 * Moves through a StAX stream element by element for the report readers: next child, a leaf's text
 * (capped at {@link ParserLimits#maxTextLength()}), skipping, and telling extensions from unknown
 * elements.
 */
final class XmlCursor {
    private final XMLStreamReader2 xml;
    private final ReportSource source;
    private final ParserLimits limits;
    private final WarningLog warnings;
    private final StringBuilder text = new StringBuilder(64);
    private String namespace = "";

    XmlCursor(XMLStreamReader2 xml, ReportSource source, ParserLimits limits, WarningLog warnings) {
        this.xml = xml;
        this.source = source;
        this.limits = limits;
        this.warnings = warnings;
    }

    String localName() {
        return xml.getLocalName();
    }

    /** The report's own namespace (the root element's); elements of other namespaces are extensions. */
    void namespace(String uri) {
        namespace = uri == null ? "" : uri;
    }

    /** Moves to the next child element of the current one (true) or to its end tag (false). */
    boolean nextChild() throws XMLStreamException {
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

    /** The trimmed text of the current element, a value of record {@code index} at {@code path}. */
    String leaf(int index, String path) throws XMLStreamException, ReportParseException {
        return leaf0(index, path);
    }

    /** The trimmed text of the current element, a header value at {@code path}. */
    String leaf(String path) throws XMLStreamException, ReportParseException {
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

    /** Skips the current element and everything inside it. */
    void skip() throws XMLStreamException {
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

    /**
     * An element this reader does not know. Elements in another namespace than the report's are
     * extensions (RFC 9990): ignored quietly. Anything else is ignored with a warning.
     */
    void unknown(int index, String parentPath) throws XMLStreamException {
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

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
