package io.dmarclens.app.cli;

import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.importer.FileImporter;
import io.dmarclens.ingest.importer.ImportSummary;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import java.io.IOException;
import io.dmarclens.store.Clocks;
import java.time.Clock;

/** {@code dmarc-lens import}: reports from files, directories, mbox files and Maildirs into the store. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Imports DMARC aggregate, failure and SMTP TLS reports from files (.xml, .gz, .zip, .json, .eml),"
                + " directories (recursively), mbox files and Maildirs.",
                "Files without a report are listed as invalid and do not stop the import.",
                "Exit status: 0 when every input was read (invalid ones included), 1 when an input could not be"
                        + " read at all or the store failed, 2 on a usage error."})
public final class ImportCommand implements Callable<Integer> {
    /** mbox messages larger than this are listed as invalid rather than read into memory. */
    static final long MAX_MESSAGE_BYTES = 64L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "files and directories to import")
    List<Path> paths;

    /** Created when missing: import is one of the commands that make a store. */
    @picocli.CommandLine.Mixin
    DataDirOption data = new DataDirOption();

    /** {@code --opensearch URL}: the store on an OpenSearch cluster instead of the data directory. */
    @picocli.CommandLine.Mixin
    StoreOption storeOption = new StoreOption();


    @Option(names = "--offline", description = "no DNS lookups at all (reverse DNS names only from the cache)")
    boolean offline;

    @Option(names = "--dns", paramLabel = "HOST:PORT", description = "DNS server for reverse DNS (default: the system resolver)")
    String dns;

    @Option(names = "--geoip", paramLabel = "FILE", split = ",",
            description = "MMDB files for country and ASN (MaxMind GeoLite2, DB-IP, ip-location-db); repeatable")
    List<Path> geoip = new ArrayList<>();

    @Option(names = "--senders", paramLabel = "FILE", description = "your own sender list (key<TAB>name<TAB>type), merged over ours")
    Path senders;

    @Option(names = "--own-sender", paramLabel = "HOST|CIDR", split = ",",
            description = "your own mail hosts (domain) or address ranges; repeatable")
    List<String> ownSenders = new ArrayList<>();

    @Option(names = "--dns-wait", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long to wait at the end for reverse DNS names to fill in (default: ${DEFAULT-VALUE})")
    long dnsWaitSeconds;

    @Override
    public Integer call() throws InterruptedException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EnrichmentSettings settings = new EnrichmentSettings(offline, dns, geoip, senders, ownSenders);
        ImportSummary summary;
        Clock clock = Clocks.system(); // the store's and the reverse DNS cache's
        try (Store store = storeOption.openForWriting(data.path(), clock);
             PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, settings, CommitMode.GROUPED,
                     clock)) {
            ProgressBar bar = ProgressBar.onTerminal(err);
            summary = new FileImporter(setup.pipeline(), MAX_MESSAGE_BYTES).run(paths, bar::update);
            store.flush();
            bar.finish();
            if (setup.pendingLookups() > 0) {
                bar.note("waiting up to " + dnsWaitSeconds + " s for " + setup.pendingLookups() + " reverse DNS names");
                setup.awaitLookups(Duration.ofSeconds(dnsWaitSeconds));
            }
            store.awaitIndexed();
        } catch (StoreException | IllegalArgumentException e) {
            err.println("dmarc-lens import: " + e.getMessage());
            err.flush();
            return 1;
        }
        print(summary, out);
        return summary.failures().isEmpty() ? 0 : 1;
    }

    static void print(ImportSummary summary, PrintWriter out) {
        out.println(summary.line());
        for (ImportSummary.Problem p : summary.invalid()) {
            out.println("  invalid: " + p);
        }
        for (ImportSummary.Problem p : summary.partial()) {
            out.println("  partial: " + p);
        }
        for (ImportSummary.Problem p : summary.unreadable()) {
            out.println("  partly unreadable: " + p);
        }
        for (ImportSummary.Problem p : summary.failures()) {
            out.println("  failed: " + p);
        }
        out.flush();
    }
}
