package io.dmarclens.parser;

import io.dmarclens.parser.aggregate.AggregateHeader;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every call a parser makes on its handler, in order, as model records (compared field by field by
 * their {@code equals}), ending with the error the parse threw, if any. Two parsers that leave equal
 * logs gave their handlers exactly the same reports, records, warnings, aborts and errors.
 */
public final class EventLog implements ReportHandler {
    public record End(List<ParseWarning> warnings) {
    }

    public record PartialEnd(List<ParseWarning> warnings, String reason) {
    }

    public record Abort(String reason) {
    }

    public record Unreadable(ReportSource source, String reason) {
    }

    public record Failed(String type, String message) {
    }

    private final List<Object> events = new ArrayList<>();

    public List<Object> events() {
        return events;
    }

    /** Notes the error a parse ended with. */
    public void failed(Exception e) {
        events.add(new Failed(e.getClass().getName(), e.getMessage()));
    }

    @Override
    public void beginAggregate(AggregateHeader header) {
        events.add(header);
    }

    @Override
    public void record(AggregateRecord record) {
        events.add(record);
    }

    @Override
    public void endAggregate(List<ParseWarning> warnings) {
        events.add(new End(List.copyOf(warnings)));
    }

    @Override
    public void endPartialAggregate(List<ParseWarning> warnings, Truncation truncation) {
        events.add(new PartialEnd(List.copyOf(warnings), truncation.reason()));
    }

    @Override
    public void abortAggregate(String reason) {
        events.add(new Abort(reason));
    }

    @Override
    public void failure(FailureReport report) {
        events.add(report);
    }

    @Override
    public void tls(TlsReport report) {
        events.add(report);
    }

    @Override
    public void unreadable(ReportSource source, String reason) {
        events.add(new Unreadable(source, reason));
    }

    /** Null when the logs are equal, else where and how they first differ. */
    public static String difference(EventLog expected, EventLog actual) {
        List<Object> a = expected.events;
        List<Object> b = actual.events;
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            if (!Objects.equals(a.get(i), b.get(i))) {
                return "event " + i + " differs:\n  expected " + a.get(i) + "\n  actual   " + b.get(i);
            }
        }
        if (a.size() != b.size()) {
            return "expected " + a.size() + " events, got " + b.size() + "; first extra: "
                    + (a.size() > b.size() ? a.get(b.size()) : b.get(a.size()));
        }
        return null;
    }
}
