package io.dmarclens.parser.aggregate;

import io.dmarclens.parser.ParserLimits;
import io.dmarclens.parser.ReportHandler;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.parser.container.PayloadOpener;
import java.util.Objects;

/**
 * Reads one XML document holding a DMARC aggregate (rua) report and streams it to a
 * {@link ReportHandler}: {@code beginAggregate}, each {@code record}, then {@code endAggregate}.
 */
public final class AggregateXmlParser {
    private final ParserLimits limits;

    public AggregateXmlParser(ParserLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Streams one XML document's aggregate report to the handler (beginAggregate, record..., endAggregate). */
    public void parse(ReportSource source, PayloadOpener payload, ReportHandler handler) throws ReportParseException {
        throw new ReportParseException(source, "aggregate XML parsing is not implemented yet");
    }
}
