package io.dmarclens.app.cli;

import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.store.Store;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens reindex}: rebuilds the search index from the database. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {"Rebuilds the Lucene search index from the SQLite database (the database is not changed).",
                "It needs the data directory to itself: stop serve first (it says so in one line when serve runs).",
                "Exit status: 0, 1 when the store is in use or cannot be read, 2 when the data directory holds no store."})
public final class ReindexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        long start = System.nanoTime();
        try (Store store = EmbeddedStore.open(data.existingStore())) {
            Map<String, Long> counts = store.reindex();
            out.printf("reindexed %d records, %d failure reports, %d TLS failure details in %.1f s%n",
                    counts.get("record"), counts.get("failure"), counts.get("tls"), (System.nanoTime() - start) / 1e9);
        }
        out.flush();
        return 0;
    }
}
