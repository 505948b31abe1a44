package io.dmarclens.app.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.dmarclens.web.table.CsvWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/**
 * Writes rows of named columns as they stream in: CSV with a header row (the dashboard's {@link CsvWriter},
 * which keeps formula-like cells as text), or a JSON array
 * of objects. Values are strings, numbers, booleans or null.
 */
abstract class RowWriter implements Closeable {
    final List<String> columns;

    private RowWriter(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Output formats of the search and export commands. */
    enum Format { csv, json }

    static RowWriter open(Format format, List<String> columns, Writer out) {
        try {
            return format == Format.csv ? new Csv(columns, out) : new Json(columns, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes one row; values in column order. */
    abstract void row(List<?> values);

    private static final class Csv extends RowWriter {
        private final CsvWriter csv;

        Csv(List<String> columns, Writer out) {
            super(columns);
            csv = new CsvWriter(out, columns);
        }

        @Override
        void row(List<?> values) {
            csv.row(values);
        }

        @Override
        public void close() {
            csv.close();
        }
    }

    private static final class Json extends RowWriter {
        private final JsonGenerator json;

        Json(List<String> columns, Writer out) throws IOException {
            super(columns);
            json = new JsonFactory().createGenerator(out);
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            json.writeStartArray();
        }

        @Override
        void row(List<?> values) {
            try {
                json.writeRaw('\n');
                json.writeStartObject();
                for (int i = 0; i < columns.size(); i++) {
                    Object v = values.get(i);
                    json.writeFieldName(columns.get(i));
                    if (v == null) {
                        json.writeNull();
                    } else if (v instanceof Long l) {
                        json.writeNumber(l);
                    } else if (v instanceof Integer n) {
                        json.writeNumber(n);
                    } else if (v instanceof Double d) {
                        json.writeNumber(d);
                    } else if (v instanceof Boolean b) {
                        json.writeBoolean(b);
                    } else {
                        json.writeString(v.toString());
                    }
                }
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            json.writeRaw('\n');
            json.writeEndArray();
            json.writeRaw('\n');
            json.flush();
        }
    }
}
