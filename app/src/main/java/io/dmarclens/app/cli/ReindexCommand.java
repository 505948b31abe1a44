package io.dmarclens.app.cli;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.Store;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens reindex}: rebuilds the search index from the database. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = "Rebuilds the Lucene search index from the SQLite database (safe at any time; the database is not changed).")
public final class ReindexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "./data", description = "data directory (default: ${DEFAULT-VALUE})")
    Path data;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Store store = EmbeddedStore.open(data)) {
            Map<String, Long> counts = store.reindex();
            out.printf("reindexed %d records, %d failure reports, %d TLS failure details in %.1f s%n",
                    counts.get("record"), counts.get("failure"), counts.get("tls"), (System.nanoTime() - start) / 1e9);
        }
        out.flush();
        return 0;
    }
}
