package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.ReportDetail;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportQueries;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Aggregate reports from the report documents, their records from the record documents, and parse warnings. */
final class OpenSearchReportQueries implements ReportQueries {
    private final Reads reads;
    private final Records records;
    private final ReportDocs docs;

    OpenSearchReportQueries(Reads reads, Records records, ReportDocs docs) {
        this.reads = reads;
        this.records = records;
        this.docs = docs;
    }

    @Override
    public List<ReportSummary> reports(ReportFilter filter, ReportSort sort, Page page) {
        List<ReportSummary> out = new ArrayList<>();
        for (JsonNode hit : reads.page(Family.REPORTS, query(filter), Order.reports(sort), page)) {
            out.add(Rows.report(hit.path("_source")));
        }
        return out;
    }

    @Override
    public long countReports(ReportFilter filter) {
        return reads.count(Family.REPORTS, query(filter));
    }

    @Override
    public Map<Authenticity.Verdict, Long> countByVerdict() {
        return reads.countByVerdict(Family.REPORTS, "report_ref");
    }

    @Override
    public Optional<ReportDetail> report(long id) {
        return docs.detail(id);
    }

    @Override
    public List<RecordRow> reportRecords(long reportId, Page page) {
        return records.ofReport(reportId, page);
    }

    @Override
    public List<RecordRow> records(List<Long> ids) {
        return records.byIds(ids);
    }

    @Override
    public void exportRecords(ReportFilter filter, Consumer<RecordRow> sink) {
        records.export(filter, sink);
    }

    @Override
    public List<ParseWarning> warnings(String kind, long reportId) {
        return docs.warnings(kind, reportId);
    }

    private ObjectNode query(ReportFilter filter) {
        ObjectNode query = reads.visible("report_ref");
        ReportFilters.onReports(filter, Reads.filters(query));
        return query;
    }
}
