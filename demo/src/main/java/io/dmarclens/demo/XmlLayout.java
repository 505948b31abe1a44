package io.dmarclens.demo;

import java.util.List;
import java.util.Objects;

/**
 * How a reporter lays out the XML it writes: the declaration, line ends and indentation (none at all
 * when {@code lineEnd} is empty), unused namespace prefixes some declare on the root, and whether the
 * file ends with a newline. Only bytes between elements change with it, never what a parser reads.
 *
 * @param declaration  the XML declaration exactly as written, with what follows it
 * @param prefixes     namespace prefixes declared on {@code feedback}, in this order
 */
record XmlLayout(String declaration, String lineEnd, String indent, List<Prefix> prefixes,
                 boolean newlineAtEnd) {
    /** Two-space indentation, LF line ends: what most reporters write. */
    static final XmlLayout PRETTY = new XmlLayout("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", "\n", "  ", List.of(),
            true);

    XmlLayout {
        Objects.requireNonNull(declaration, "declaration");
        Objects.requireNonNull(lineEnd, "lineEnd");
        Objects.requireNonNull(indent, "indent");
        prefixes = List.copyOf(prefixes);
    }

    /** A namespace prefix and its URI. */
    record Prefix(String prefix, String uri) {
    }
}
