package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportParseException;
import javax.xml.stream.XMLStreamException;

/**
 * Moves through an XML document element by element for the report readers: to the root, next child,
 * a leaf's text (capped at {@link ParserLimits#maxTextLength()}), skipping, and telling extensions from
 * unknown elements. Two implementations read the same documents to the same values and warnings:
 * {@link Utf8Cursor} for the common case, fast, and {@link StaxCursor} for everything.
 */
interface XmlCursor {
    /** Moves to the document's root element. */
    void toRoot() throws XMLStreamException, ReportParseException;

    /** The local name of the current start element. */
    String localName();

    /** The name of the current start element as written, prefix included. */
    String prefixedName();

    /** The namespace URI of the current start element, empty for none. */
    String namespaceUri();

    /** A well-formedness error at the current position. */
    XMLStreamException error(String message);

    /** The report's own namespace (the root element's); elements of other namespaces are extensions. */
    void namespace(String uri);

    /** Moves to the next child element of the current one (true) or to its end tag (false). */
    boolean nextChild() throws XMLStreamException;

    /** The trimmed text of the current element, a value of record {@code index} at {@code path}. */
    String leaf(int index, String path) throws XMLStreamException, ReportParseException;

    /** The trimmed text of the current element, a header value at {@code path}. */
    String leaf(String path) throws XMLStreamException, ReportParseException;

    /** Skips the current element and everything inside it. */
    void skip() throws XMLStreamException;

    /**
     * An element this reader does not know. Elements in another namespace than the report's are
     * extensions (RFC 9990): ignored quietly. Anything else is ignored with a warning.
     */
    void unknown(int index, String parentPath) throws XMLStreamException;

    static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
