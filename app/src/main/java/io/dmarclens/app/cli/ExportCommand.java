package io.dmarclens.app.cli;

import io.dmarclens.store.Store;
import io.dmarclens.store.query.ReportFilter;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens export}: writes records, sources, failure reports or TLS failures as CSV or JSON. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Writes stored data to standard output as it is read: CSV with a header row, or a JSON array.",
                "WHAT is records (one row per aggregate record with its report's identity and our enrichment),",
                "sources (one row per source IP), failures (failure reports) or tls (TLS failure details).",
                "It reads beside a running serve: every report stored so far is exported.",
                "Exit status: 0, 1 when the store cannot be read, 2 on a usage error or a data directory without a store."})
public final class ExportCommand implements Callable<Integer> {
    /** What can be exported. */
    enum What { records, sources, failures, tls }

    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    /** {@code --opensearch URL}: the store on an OpenSearch cluster instead of the data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();


    @Option(names = "--from", paramLabel = "DATE", description = "first day (YYYY-MM-DD, UTC), inclusive")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "last day (YYYY-MM-DD, UTC), inclusive")
    LocalDate to;

    @Option(names = "--domain", paramLabel = "D", description = "policy domain (repeatable; default: all)")
    List<String> domains = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", required = true, description = "csv or json")
    RowWriter.Format format;

    @Parameters(paramLabel = "WHAT", description = "records, sources, failures or tls")
    What what;

    @Override
    public Integer call() throws IOException {
        if (from != null && to != null && to.isBefore(from)) {
            spec.commandLine().getErr().println("dmarc-lens export: --to " + to + " is before --from " + from);
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        ReportFilter filter = new ReportFilter(from, to, Set.copyOf(domains), Set.of());
        try (Store store = storeOption.openForReading(data, StoreOption.clock())) {
            switch (what) {
                case records -> {
                    try (RowWriter w = RowWriter.open(format, ExportRows.RECORD_COLUMNS, out)) {
                        store.reports().exportRecords(filter, r -> w.row(ExportRows.record(r)));
                    }
                }
                case sources -> {
                    try (RowWriter w = RowWriter.open(format, ExportRows.SOURCE_COLUMNS, out)) {
                        store.sources().allSources(filter, s -> w.row(ExportRows.source(s)));
                    }
                }
                case failures -> {
                    try (RowWriter w = RowWriter.open(format, ExportRows.FAILURE_COLUMNS, out)) {
                        store.failureReports().exportFailureReports(filter, f -> w.row(ExportRows.failure(f)));
                    }
                }
                case tls -> {
                    try (RowWriter w = RowWriter.open(format, ExportRows.TLS_COLUMNS, out)) {
                        store.tlsReports().exportTlsFailures(filter, t -> w.row(ExportRows.tls(t)));
                    }
                }
            }
        }
        out.flush();
        return 0;
    }
}
