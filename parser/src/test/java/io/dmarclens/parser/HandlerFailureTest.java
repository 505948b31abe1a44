package io.dmarclens.parser;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A handler's own failure (its store is down) thrown from a callback comes out of the parser as itself, in
 * every container, never as a {@link ReportParseException}: that would quarantine an input that is fine.
 */
class HandlerFailureTest {
    private static final byte[] XML = ContainerFixtures.aggregateXml("handler-failure", "example.com", 3);
    private static final byte[] TLS = ContainerFixtures.tlsJson("handler-failure-tls");

    @ParameterizedTest
    @ValueSource(strings = {"xml", "gzip", "zip", "mail", "tls", "tls-gzip"})
    void theHandlersFailurePassesThroughTheParser(String container) {
        byte[] input = switch (container) {
            case "xml" -> XML;
            case "gzip" -> ContainerFixtures.gzip(XML);
            case "zip" -> ContainerFixtures.zip(Map.of("report.xml", XML));
            case "mail" -> ContainerFixtures.googleZipMail("handler-failure", "example.com");
            case "tls" -> TLS;
            case "tls-gzip" -> ContainerFixtures.gzip(TLS);
            default -> throw new IllegalArgumentException(container);
        };
        HandlerFailure failure = new HandlerFailure("the store is down", null);
        ReportHandler failing = new ReportHandler() {
            @Override
            public void beginAggregate(AggregateHeader header) {
            }

            @Override
            public void record(AggregateRecord record) {
                throw failure;
            }

            @Override
            public void endAggregate(List<ParseWarning> warnings) {
                throw failure;
            }

            @Override
            public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
                throw failure;
            }

            @Override
            public void failure(FailureReport report) {
                throw failure;
            }

            @Override
            public void tls(TlsReport report) {
                throw failure;
            }
        };
        HandlerFailure thrown = assertThrows(HandlerFailure.class, () -> new ReportParser()
                .parse(ReportSource.of(container), new ByteArrayInputStream(input), failing));
        assertSame(failure, thrown);
    }
}
