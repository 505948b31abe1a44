package io.dmarclens.app.cli;

import io.dmarclens.index.ingestlog.SqliteIngestLog;
import io.dmarclens.ingest.inbox.DurableInbox;
import io.dmarclens.store.ingestlog.IngestLog;
import io.dmarclens.store.ingestlog.IngestLogEntry;
import io.dmarclens.store.ingestlog.IngestLogPage;
import io.dmarclens.store.ingestlog.IngestStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dmarc-lens quarantine}: messages without a readable report, kept with the reason. */
@Command(name = "quarantine", mixinStandardHelpOptions = true,
        description = "Lists, shows, downloads and retries quarantined messages (those without a readable report).",
        subcommands = {QuarantineCommand.ListCommand.class, QuarantineCommand.ShowCommand.class,
                QuarantineCommand.DownloadCommand.class, QuarantineRetryCommand.class})
public final class QuarantineCommand implements Runnable {
    /** The file every quarantine command reads: a data directory without it holds no quarantine. */
    static final String INGEST_LOG = "ingest.db";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The ingest log of the data directory, or on OpenSearch the cluster's, which every node shares. */
    static IngestLog openLog(DataDirOption data, StoreOption store) {
        return store.onOpenSearch() ? StoreOption.ingestLog(store.settings(), data.path(), StoreOption.clock(), "")
                : SqliteIngestLog.open(data.existing(INGEST_LOG));
    }

    /** Whether the quarantine still holds the message: in this data directory, or in the shared log. */
    static boolean kept(IngestLog log, DataDirOption data, String id) {
        // Only looks: opening the inbox would create its directories in the data directory.
        return DurableInbox.quarantinedFile(data.path(), id).isPresent()
                || !log.withContent(java.util.List.of(id)).isEmpty();
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists quarantined messages, newest first.")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @picocli.CommandLine.Mixin
        StoreOption store = new StoreOption();
        @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--offset", defaultValue = "0", description = "skip this many")
        int offset;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (IngestLog log = openLog(data, store)) {
                IngestLogPage page = log.page(IngestStatus.QUARANTINED, offset, Math.min(1000, Math.max(1, limit)));
                if (page.total() == 0) {
                    out.println("The quarantine is empty.");
                    return 0;
                }
                // The origin in full (an IMAP account, folder and UID, or an SMTP peer and envelope): it is what
                // tells one message from another, so the column is as wide as the longest on the page.
                int originWidth = page.entries().stream().mapToInt(e -> e.origin().describe().length())
                        .max().orElse(0);
                String row = "%-32s %-20s %10s  %-" + Math.max("ORIGIN".length(), originWidth) + "s  %s%s%n";
                out.printf(row, "ID", "RECEIVED", "BYTES", "ORIGIN", "REASON", "");
                for (IngestLogEntry e : page.entries()) {
                    String gone = kept(log, data, e.id()) ? "" : " (deleted)";
                    out.printf(row, e.id(), e.receivedAt().toString().substring(0, 19), e.size(),
                            e.origin().describe(), firstLine(e.detail()), gone);
                }
                out.printf("%d of %d quarantined messages shown.%n", page.entries().size(), page.total());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one quarantined message: origin, size and reason.")
    static final class ShowCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @picocli.CommandLine.Mixin
        StoreOption store = new StoreOption();
        @Parameters(paramLabel = "ID", description = "the message id from 'quarantine list'")
        String id;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            try (IngestLog log = openLog(data, store)) {
                Optional<IngestLogEntry> entry = log.get(id);
                if (entry.isEmpty()) {
                    spec.commandLine().getErr().println("No message " + id + " in the ingest log.");
                    return 1;
                }
                IngestLogEntry e = entry.get();
                out.println("id:        " + e.id());
                out.println("received:  " + e.receivedAt());
                out.println("channel:   " + e.origin().channel().name().toLowerCase(java.util.Locale.ROOT));
                e.origin().details().forEach((k, v) -> out.printf("  %-9s %s%n", k + ":", v));
                out.println("size:      " + e.size() + " bytes");
                out.println("status:    " + e.status().name().toLowerCase(java.util.Locale.ROOT));
                out.println("reason:");
                for (String line : e.detail().split("\n")) {
                    out.println("  " + line);
                }
                // Only looks: opening the inbox would create its directories in the data directory.
                boolean kept = kept(log, data, id);
                out.println(kept ? "The message is kept: 'quarantine download " + id + "', 'quarantine retry " + id + "'."
                        : "The message itself is no longer in the quarantine.");
            }
            return 0;
        }
    }

    @Command(name = "download", mixinStandardHelpOptions = true, description = "Writes the bytes of a quarantined message as received.")
    static final class DownloadCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @picocli.CommandLine.Mixin
        DataDirOption data = new DataDirOption();
        @picocli.CommandLine.Mixin
        StoreOption store = new StoreOption();
        @Parameters(paramLabel = "ID", description = "the message id from 'quarantine list'")
        String id;
        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
        Path output;

        @Override
        public Integer call() throws IOException {
            Optional<Path> file = store.onOpenSearch() ? DurableInbox.quarantinedFile(data.path(), id)
                    : DurableInbox.quarantinedFile(data.existing(INGEST_LOG), id);
            Optional<byte[]> shared = Optional.empty();
            if (file.isEmpty() && store.onOpenSearch()) {
                // Quarantined by another node (or this one): its bytes are kept in the cluster's ingest log.
                try (IngestLog log = openLog(data, store)) {
                    shared = log.content(id);
                }
            }
            if (file.isEmpty() && shared.isEmpty()) {
                spec.commandLine().getErr().println("No quarantined message " + id + ".");
                return 1;
            }
            try (InputStream in = file.isPresent() ? Files.newInputStream(file.get())
                    : new java.io.ByteArrayInputStream(shared.get())) {
                if (output != null) {
                    Files.copy(in, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                } else {
                    OutputStream out = System.out;
                    in.transferTo(out);
                    out.flush();
                }
            }
            return 0;
        }
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return abbreviate(nl < 0 ? s : s.substring(0, nl), 100);
    }

    static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
