package io.dmarclens.parser;

import java.util.List;

/**
 * Any report the parser reads: an {@link io.dmarclens.parser.aggregate.AggregateReport} (rua), a
 * {@link io.dmarclens.parser.failure.FailureReport} (ruf) or a {@link io.dmarclens.parser.tlsrpt.TlsReport}.
 * Not sealed only because the three live in their own packages of an unnamed module.
 */
public interface Report {
    ReportSource source();

    List<ParseWarning> warnings();
}
