package io.dmarclens.parser;

import java.nio.file.Path;
import java.util.List;

/** The one place the fact tests call the parser, so an API change touches one line. */
final class Parsing {
    private Parsing() {
    }

    static List<Report> parse(Path file) throws Exception {
        return new ReportParser().parseAll(file);
    }
}
