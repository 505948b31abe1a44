package io.dmarclens.store.query;

import java.util.List;

/** Forwarded mail: sources of forwarding and forwarded messages per day. Every store implements it with the same answers (the contract kit checks). */
public interface ForwardingQueries {
    /** Sources of forwarded mail, most messages first. */
    List<ForwardingSource> forwardingSources(ReportFilter filter, Page page);
    /** Forwarded messages per UTC day, oldest first. */
    List<DailyForwarding> forwardingDaily(ReportFilter filter);
}
