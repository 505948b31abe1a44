package io.dmarclens.ingest.importer;

import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.ImportOutcome;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Imports files and directories: single report files (.xml, .gz, .zip, .json), mail messages (.eml,
 * Maildir messages) and mbox files, message by message. An input without a report is listed as
 * invalid and the run goes on; only an input that cannot be read at all, or a store failure, is a
 * failure.
 */
public final class FileImporter {
    /** Told after each file, for a progress bar. */
    @FunctionalInterface
    public interface Progress {
        void fileDone(int filesDone, int filesTotal, ImportSummary soFar);
    }

    private final ImportPipeline pipeline;
    private final long maxMessageBytes;
    private final int threads;

    /** @param maxMessageBytes the largest mbox message read; larger ones are listed as invalid */
    public FileImporter(ImportPipeline pipeline, long maxMessageBytes) {
        this(pipeline, maxMessageBytes, 1);
    }

    /**
     * @param maxMessageBytes the largest mbox message read; larger ones are listed as invalid
     * @param threads         files imported at the same time (the pipeline is thread-safe). More than one pays
     *                        where the store waits on the network (OpenSearch: each report is a few round
     *                        trips, each write fsynced before it is acknowledged), so that one import's wait
     *                        overlaps another's work; the order files are imported in is then not the listing's
     */
    public FileImporter(ImportPipeline pipeline, long maxMessageBytes, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("import threads must be at least 1, not " + threads);
        }
        this.pipeline = Objects.requireNonNull(pipeline, "pipeline");
        this.maxMessageBytes = maxMessageBytes;
        this.threads = threads;
    }

    public ImportSummary run(List<Path> paths, Progress progress) {
        InputFinder finder = InputFinder.find(paths);
        ImportSummary.Builder summary = new ImportSummary.Builder();
        for (InputFinder.Problem p : finder.problems()) {
            summary.failures.add(new ImportSummary.Problem(p.path().toString(), p.reason()));
        }
        List<Path> files = finder.files();
        if (threads == 1) {
            int done = 0;
            for (Path file : files) {
                importFile(file, summary);
                progress.fileDone(++done, files.size(), summary.build());
            }
            return summary.build();
        }
        return runConcurrently(files, summary, progress);
    }

    /** Each file into its own summary, added to the run's when the file is done (under the run's lock). */
    private ImportSummary runConcurrently(List<Path> files, ImportSummary.Builder summary, Progress progress) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "file-import");
            t.setDaemon(true);
            return t;
        });
        int[] done = {0};
        try {
            List<java.util.concurrent.Future<?>> tasks = new java.util.ArrayList<>();
            for (Path file : files) {
                tasks.add(pool.submit(() -> {
                    ImportSummary.Builder one = new ImportSummary.Builder();
                    importFile(file, one);
                    synchronized (summary) {
                        summary.add(one);
                        progress.fileDone(++done[0], files.size(), summary.build());
                    }
                }));
            }
            for (java.util.concurrent.Future<?> task : tasks) {
                try {
                    task.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ImportException("import interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        synchronized (summary) {
            return summary.build();
        }
    }

    private void importFile(Path file, ImportSummary.Builder summary) {
        try {
            if (isMbox(file)) {
                importMbox(file, summary);
            } else {
                add(summary, ImportInput.ofFile(file));
            }
        } catch (IOException e) {
            summary.failures.add(new ImportSummary.Problem(file.toString(), "cannot read: " + e.getMessage()));
        }
    }

    private void importMbox(Path file, ImportSummary.Builder summary) throws IOException {
        String base = "file:" + file.toAbsolutePath().normalize();
        try (MboxSplitter mbox = new MboxSplitter(new BufferedInputStream(Files.newInputStream(file), 1 << 16),
                maxMessageBytes)) {
            byte[] message;
            int n = 0;
            while ((message = mbox.next()) != null) {
                n++;
                String name = file + " message " + n;
                if (mbox.lastWasTruncated()) {
                    summary.inputs++;
                    summary.invalid.add(new ImportSummary.Problem(name, "message larger than " + maxMessageBytes
                            + " bytes: not imported"));
                    continue;
                }
                add(summary, ImportInput.ofBytes(base + "#" + n, name, message));
            }
        }
    }

    private void add(ImportSummary.Builder summary, ImportInput input) {
        summary.inputs++;
        ImportOutcome outcome;
        try {
            outcome = input.importInto(pipeline);
        } catch (ImportException e) {
            summary.failures.add(new ImportSummary.Problem(input.name(), e.getMessage()));
            return;
        }
        if (outcome.isInvalid()) {
            summary.invalid.add(new ImportSummary.Problem(input.name(), outcome.error()));
            return;
        }
        summary.reports += outcome.reports();
        summary.records += outcome.records();
        summary.duplicates += outcome.duplicates();
        for (String report : outcome.partialReports()) {
            summary.partial.add(new ImportSummary.Problem(input.name(), report));
        }
        for (String part : outcome.unreadableParts()) {
            summary.unreadable.add(new ImportSummary.Problem(input.name(), part));
        }
    }

    private static boolean isMbox(Path file) throws IOException {
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return MboxSplitter.looksLikeMbox(head, n);
    }
}
