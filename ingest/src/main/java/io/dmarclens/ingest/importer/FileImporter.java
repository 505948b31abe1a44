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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
     * @param threads files imported at the same time: with 2, one file is parsed and enriched while the
     *                other is written (the store writes one report at a time); the summary is the same as
     *                with 1, in the order of the files
     */
    public FileImporter(ImportPipeline pipeline, long maxMessageBytes, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
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
        ExecutorService pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "file-importer");
            t.setDaemon(true);
            return t;
        });
        try {
            // Submitted a window ahead, merged in file order: memory stays bounded, the summary deterministic.
            java.util.ArrayDeque<Future<ImportSummary.Builder>> window = new java.util.ArrayDeque<>();
            int done = 0;
            for (int next = 0; next < files.size() || !window.isEmpty(); ) {
                while (next < files.size() && window.size() < Math.max(1, threads * 2)) {
                    Path file = files.get(next++);
                    window.add(pool == null ? CompletableFuture.completedFuture(importOne(file))
                            : pool.submit(() -> importOne(file)));
                }
                summary.add(await(window.poll()));
                progress.fileDone(++done, files.size(), summary.build());
            }
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        return summary.build();
    }

    private ImportSummary.Builder importOne(Path file) {
        ImportSummary.Builder part = new ImportSummary.Builder();
        try {
            if (isMbox(file)) {
                importMbox(file, part);
            } else {
                add(part, ImportInput.ofFile(file));
            }
        } catch (IOException e) {
            part.failures.add(new ImportSummary.Problem(file.toString(), "cannot read: " + e.getMessage()));
        }
        return part;
    }

    private static ImportSummary.Builder await(Future<ImportSummary.Builder> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while importing", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
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
        for (String part : outcome.unreadableParts()) {
            summary.partial.add(new ImportSummary.Problem(input.name(), part));
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
