package io.dmarclens.app.cli;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.Store;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.RecordRow;
import io.dmarclens.store.query.TlsFailureRow;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchResults;
import io.dmarclens.store.search.SearchSyntaxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens search}: finds records, failure reports and TLS failures with a Lucene query. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Searches stored records, failure reports and TLS failure details, newest first.",
                "QUERY uses Lucene syntax with guessable field names, e.g. 'ip:203.0.113.0/24 dkim:fail',",
                "'from:example.com class:threat', 'reporter:google.com'; see docs/search.md.",
                "It reads beside a running serve, which commits its search index within 15 s of new reports;",
                "reports stored after that commit are counted in a note on standard error.",
                "Exit status: 0 with hits or none, 1 when the store cannot be read, 2 when the query cannot be read",
                "or the data directory holds no store."})
public final class SearchCommand implements Callable<Integer> {
    static final List<String> COLUMNS = List.of("kind", "id", "date", "source_ip", "reverse_dns", "sender_name",
            "reporter", "policy_domain", "header_from", "count", "disposition", "dkim", "spf", "dmarc",
            "classification", "detail", "origin");

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    /** {@code --opensearch URL}: the store on an OpenSearch cluster instead of the data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();


    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "csv", description = "csv or json (default: ${DEFAULT-VALUE})")
    RowWriter.Format format;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "most hits to print (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--exclude-unverified", description = "leave out the hits of reports whose origin is unverified"
            + " (mailed without a DKIM signature of their reporter), as the dashboard does with"
            + " reports.exclude_unverified")
    boolean excludeUnverified;

    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "the query (several words are joined with spaces)")
    List<String> query;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String q = String.join(" ", query);
        try (io.dmarclens.store.Store store = storeOption.openForReading(data, StoreOption.clock())) {
            SearchResults results;
            try {
                results = store.search(q, limit, excludeUnverified);
            } catch (SearchSyntaxException e) {
                err.println("dmarc-lens search: " + e.getMessage());
                err.flush();
                return 2;
            }
            Map<SearchHit.Kind, List<Long>> ids = new HashMap<>();
            for (SearchHit h : results.hits()) {
                ids.computeIfAbsent(h.kind(), k -> new ArrayList<>()).add(h.id());
            }
            Map<Long, RecordRow> records = new HashMap<>();
            for (RecordRow r : store.reports().records(ids.getOrDefault(SearchHit.Kind.RECORD, List.of()))) {
                records.put(r.id(), r);
            }
            Map<Long, TlsFailureRow> tls = new HashMap<>();
            for (TlsFailureRow r : store.tlsReports().tlsFailures(ids.getOrDefault(SearchHit.Kind.TLS, List.of()))) {
                tls.put(r.id(), r);
            }
            try (RowWriter w = RowWriter.open(format, COLUMNS, out)) {
                for (SearchHit h : results.hits()) {
                    List<Object> row = switch (h.kind()) {
                        case RECORD -> records.containsKey(h.id()) ? record(h, records.get(h.id())) : null;
                        case TLS -> tls.containsKey(h.id()) ? tls(h, tls.get(h.id())) : null;
                        case FAILURE -> store.failureReports().failureReport(h.id()).map(f -> failure(h, f)).orElse(null);
                    };
                    if (row != null) {
                        w.row(row);
                    }
                }
            }
            out.flush();
            err.printf("%d of %d hits%n", results.hits().size(), results.totalHits());
            // Only the embedded store indexes behind its writes; OpenSearch makes a report searchable when it is whole.
            long unsearchable = store instanceof EmbeddedStore e ? e.unsearchableRows() : 0;
            if (unsearchable > 0) {
                err.printf("note: %d stored rows are not searchable yet (a running serve commits its search index"
                        + " within 15 s; otherwise run reindex)%n", unsearchable);
            }
            err.flush();
            return 0;
        }
    }

    private static List<Object> record(SearchHit h, RecordRow r) {
        return Arrays.asList("record", r.id(), h.date().toString(), r.sourceIp(), r.sender().reverseDns(),
                r.sender().senderName(), r.reporter(), r.policyDomain(), r.headerFrom(), r.count(), r.disposition(),
                r.dkim(), r.spf(), r.dmarcPass() ? "pass" : "fail", r.classification(), r.classificationReason(),
                r.authenticity().verdict().code());
    }

    private static List<Object> failure(SearchHit h, FailureRow f) {
        return Arrays.asList("failure", f.id(), h.date().toString(), f.sourceIp(), f.sender().reverseDns(),
                f.sender().senderName(), f.userAgent(), String.join(";", f.reportedDomain()), f.from(), f.incidents(),
                f.deliveryResult(), f.dkimDomain(), f.spfDns(), "fail", null,
                (f.subject() == null ? "" : f.subject()) + " [" + String.join(",", f.authFailure()) + "]",
                f.authenticity().verdict().code());
    }

    private static List<Object> tls(SearchHit h, TlsFailureRow t) {
        return Arrays.asList("tls", t.id(), h.date().toString(), t.sendingMtaIp(), null, null, t.organization(),
                t.policyDomain(), null, t.failedSessions(), null, null, null, null, null,
                t.resultType() + (t.receivingMxHostname() == null ? "" : " at " + t.receivingMxHostname()),
                t.authenticity().verdict().code());
    }
}
