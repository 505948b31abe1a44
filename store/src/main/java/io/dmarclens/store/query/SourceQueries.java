package io.dmarclens.store.query;

import io.dmarclens.store.enrichment.SenderInfo;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.function.Consumer;

/** Sending sources: top lists, counts, what is known of a source, its records, DKIM selectors seen. Every store implements it with the same answers (the contract kit checks). */
public interface SourceQueries {
    /** Sources ordered as asked (e.g. top sources by volume, or top failing sources with {@link SourceSort#FAILING}). */
    List<SourceStats> sources(ReportFilter filter, SourceSort sort, Page page);
    /** Number of distinct sources over the filter (for the overview and pagers). */
    long countSources(ReportFilter filter);
    /** Top failing sources: those with DMARC failures, most failures first. */
    List<SourceStats> failingSources(ReportFilter filter, Page page);
    /** Every source over the filter, streamed (for exports), most messages first. */
    void allSources(ReportFilter filter, Consumer<SourceStats> sink);
    /**
     * What is stored about one source IP, {@link SenderInfo#UNKNOWN} when nothing is. Every domain: for trusted
     * callers only (enrichment, commands).
     */
    default SenderInfo sender(String ip) {
        return sender(ip, DomainScope.all()).orElse(SenderInfo.UNKNOWN);
    }

    /**
     * What is stored about one source IP, or empty when no aggregate record nor failure report of a domain in
     * {@code scope} has that source (as if the source did not exist).
     */
    Optional<SenderInfo> sender(String ip, DomainScope scope);
    /** Records of one source IP (drill-down), newest report first. */
    List<RecordRow> sourceRecords(String ip, ReportFilter filter, Page page);
    /**
     * DKIM selectors that reports in the filter's range show for signatures of {@code dkimDomain} (d=),
     * sorted; for the posture check, which looks their keys up. Reads raw records, so keep the range short.
     */
    SortedSet<String> dkimSelectors(String dkimDomain, ReportFilter filter);
}
