package io.dmarclens.parser;

/**
 * Where a report was read from: the outer file (or message) name and the path of the part inside it,
 * e.g. {@code file="inbox/42.eml", part="attachment 2 google.com!example.com!1!2.zip > google.com!example.com!1!2.xml"}.
 * {@code part} is empty when the file itself is the report.
 */
public record ReportSource(String file, String part) {
    public ReportSource {
        file = file == null ? "" : file;
        part = part == null ? "" : part;
    }

    public static ReportSource of(String file) {
        return new ReportSource(file, "");
    }

    /** A source one level deeper, for a member of a container. */
    public ReportSource child(String name) {
        return new ReportSource(file, part.isEmpty() ? name : part + " > " + name);
    }

    @Override
    public String toString() {
        return part.isEmpty() ? file : file + " [" + part + "]";
    }
}
