package io.dmarclens.ingest.pipeline;

import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads every report of one input (any container: XML, gzip, zip, mail, JSON) and streams it to a
 * handler; {@code parser::parse} of {@code io.dmarclens.parser.ReportParser} fits.
 */
@FunctionalInterface
public interface ReportReader {
    /** Throws when the input holds no readable report at all; parts that fail go to {@code handler.unreadable}. */
    void parse(ReportSource source, InputStream in, ReportHandler handler) throws ReportParseException, IOException;
}
