package io.dmarclens.ingest.pipeline;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import io.dmarclens.ingest.dkim.DkimCheck;
import io.dmarclens.ingest.dkim.MailSignatures;
import io.dmarclens.ingest.enrich.Enricher;
import io.dmarclens.ingest.enrich.ReverseDns;
import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.DomainNames;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import io.dmarclens.store.enrichment.SenderInfo;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parse, enrich, store: every way a report comes in (file import, SMTP, IMAP) ends here. One call
 * imports one input (a file or a message) in one store batch. Reverse DNS names that the cache does not
 * know yet are looked up after the commit and filled in when they arrive.
 *
 * <p>Thread-safe: inputs may be imported concurrently (the store serialises its writes).
 */
public final class ImportPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ImportPipeline.class);

    private final ReportReader reader;
    private final Enricher enricher;
    private final ReverseDns reverseDns;
    private final ReportSink sink;
    private final DkimCheck dkim;
    private final DomainNames domainNames = new DomainNames();
    /** Sender details by address, shared by imports so the cache is not asked again for every report. */
    private final Cache<String, SenderInfo> senders = CacheBuilder.newBuilder()
            .maximumSize(100_000).expireAfterWrite(Duration.ofMinutes(30)).build();

    /**
     * @param reader     the parser, e.g. {@code reportParser::parse}
     * @param enricher   sender details, alignment and classification
     * @param reverseDns PTR lookups ({@link ReverseDns#offline} for none)
     * @param sink       where the reports go (the store)
     */
    public ImportPipeline(ReportReader reader, Enricher enricher, ReverseDns reverseDns, ReportSink sink) {
        this(reader, enricher, reverseDns, sink, DkimCheck.offline());
    }

    /**
     * As {@link #ImportPipeline(ReportReader, Enricher, ReverseDns, ReportSink)}, checking the DKIM signature
     * of report mails ({@link #importMail}) with {@code dkim}.
     */
    public ImportPipeline(ReportReader reader, Enricher enricher, ReverseDns reverseDns, ReportSink sink,
                          DkimCheck dkim) {
        this.dkim = Objects.requireNonNull(dkim, "dkim");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.enricher = Objects.requireNonNull(enricher, "enricher");
        this.reverseDns = Objects.requireNonNull(reverseDns, "reverseDns");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /**
     * Imports every report in a file (XML, gzip, zip, JSON, a mail message...).
     *
     * @param origin where it came from, stored with the reports, e.g. {@code "file:/x/y.xml"}
     * @return what was imported; {@link ImportOutcome#error()} is set when the file holds no report
     * @throws ImportException the file could not be read, or the store failed
     */
    public ImportOutcome importFile(String origin, Path file) throws ImportException {
        return importFile(origin, file.toString(), file);
    }

    /**
     * Imports every report in a file under another name: the dashboard shows the name as the reports'
     * source, and the server's own paths (the inbox's files) are nobody's business there.
     *
     * @param name the name stored and shown for the file (an upload's file name, a message id)
     */
    public ImportOutcome importFile(String origin, String name, Path file) throws ImportException {
        return importFile(origin, name, file, ReportOrigins.imported());
    }

    /**
     * Imports the reports of a mail that a stranger sent (SMTP, IMAP): its DKIM signature is checked first,
     * and each report, aggregate, failure or TLS, is stored with its verdict (verified when a valid signature is
     * aligned with the reporter's domain; {@link MailSignatures} says which domain that is for each kind).
     *
     * @param origin where it came from, e.g. {@code "smtp:<id>"}
     * @param file   the message as received
     */
    public ImportOutcome importMail(String origin, Path file) throws ImportException {
        return importMail(origin, file.toString(), file);
    }

    /** {@link #importMail(String, Path)} under the name {@code name} (a message id), not the file's path. */
    public ImportOutcome importMail(String origin, String name, Path file) throws ImportException {
        MailSignatures signatures;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            signatures = dkim.check(in);
        } catch (IOException e) {
            throw new ImportException("cannot read " + name + ": " + e.getMessage(), e);
        }
        return importFile(origin, name, file, ReportOrigins.of(signatures, domainNames));
    }

    private ImportOutcome importFile(String origin, String name, Path file,
                                     ReportOrigins authenticity) throws ImportException {
        try (FileStream in = new FileStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            return importStream(origin, name, file, null, in, authenticity);
        } catch (IOException e) {
            throw new ImportException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports every report in a message or attachment held in memory.
     *
     * @param origin where it came from, e.g. {@code "smtp:<id>"} or {@code "imap:acct/INBOX/42"}
     * @param name   a name for messages and warnings (file name or message id)
     */
    public ImportOutcome importBytes(String origin, String name, byte[] data) throws ImportException {
        try (FileStream in = new FileStream(new ByteArrayInputStream(data))) {
            return importStream(origin, name, null, data, in, ReportOrigins.imported());
        } catch (IOException e) {
            throw new ImportException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private ImportOutcome importStream(String origin, String name, Path file, byte[] data, FileStream in,
                                       ReportOrigins authenticity)
            throws ImportException, IOException {
        EnrichingHandler handler;
        try (ReportSink.Batch batch = new LazyBatch(sink, origin, name, file, data)) {
            handler = new EnrichingHandler(batch, enricher, reverseDns, senders, authenticity);
            String error = null;
            try {
                reader.parse(ReportSource.of(name), in, handler);
            } catch (EnrichingHandler.SinkFailure e) {
                throw e.importException();
            } catch (ReportParseException e) {
                error = Bounded.text(e.getMessage(), Bounded.REASON);
            } catch (IOException e) {
                if (in.failure != null) {
                    throw in.failure;
                }
                error = Bounded.text("unreadable: " + e.getMessage(), Bounded.REASON);
            }
            handler.finish();
            if (handler.reportsRead() == 0) {
                if (error == null) {
                    error = handler.unreadable.isEmpty() ? "no report found"
                            : "no readable report: " + Bounded.join(handler.unreadable, "; ");
                }
                return ImportOutcome.invalid(error, handler.unreadable);
            }
            if (error != null) {
                handler.unreadable.add(name + ": " + error);
            }
            batch.commit();
        }
        resolveLater(handler.unresolved());
        return new ImportOutcome(handler.reports, handler.records, handler.duplicates, handler.kinds,
                new ArrayList<>(handler.unreadable), null, handler.partial);
    }

    private void resolveLater(Set<String> ips) {
        if (!reverseDns.online()) {
            return;
        }
        for (String ip : List.copyOf(ips)) {
            reverseDns.resolve(ip).thenAccept(name -> name.ifPresent(n -> {
                SenderInfo sender = enricher.sender(ip, n);
                senders.put(ip, sender);
                try {
                    sink.updateSender(ip, sender);
                } catch (RuntimeException e) { // ImportException included: the name comes again later
                    LOG.warn("could not store the reverse DNS name of {}: {}", ip, e.getMessage());
                }
            }));
        }
    }

    /** Remembers whether an I/O failure came from the input itself (not the input's content). */
    private static final class FileStream extends FilterInputStream {
        IOException failure;

        FileStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
