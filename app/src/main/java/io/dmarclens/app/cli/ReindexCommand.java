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

/**
 * {@code dmarc-lens reindex}: rebuilds what the store derives from the reports it holds. Embedded: the Lucene
 * search index from the SQLite database. OpenSearch: the rollups and search documents from the stored reports,
 * records, failure and TLS reports, with a progress bar; resumable, and safe while {@code serve} runs.
 */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        description = {"Rebuilds what the store derives from the reports it holds: the Lucene search index from the"
                + " SQLite database; on OpenSearch (--opensearch URL) the rollups and search documents from the"
                + " stored reports.",
                "Embedded: it needs the data directory to itself: stop serve first (it says so in one line when serve"
                        + " runs). OpenSearch: serve may keep running; a reindex that was stopped goes on where it"
                        + " stopped when run again.",
                "Exit status: 0, 1 when the store is in use or cannot be read, 2 when the data directory holds no store."})
public final class ReindexCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DataDirOption data = new DataDirOption();

    @Mixin
    StoreOption storeOption = new StoreOption();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        Map<String, Long> counts;
        if (storeOption.onOpenSearch()) {
            ProgressBar bar = ProgressBar.onTerminal(err);
            try (Store store = storeOption.openForWriting(data.path(), StoreOption.clock())) {
                counts = store.reindex((done, total, what) -> bar.update((int) Math.min(done, Integer.MAX_VALUE),
                        (int) Math.min(total, Integer.MAX_VALUE), what));
            } finally {
                bar.finish();
            }
        } else {
            try (Store store = EmbeddedStore.open(data.existingStore())) {
                counts = store.reindex();
            }
        }
        out.printf("reindexed %d records, %d failure reports, %d TLS failure details in %.1f s%n",
                counts.get("record"), counts.get("failure"), counts.get("tls"), (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }
}
