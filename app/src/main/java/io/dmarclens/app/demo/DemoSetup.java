package io.dmarclens.app.demo;

import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.ImportException;
import io.dmarclens.ingest.pipeline.ImportPipeline;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.web.auth.UserStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import io.dmarclens.store.Clocks;

/**
 * Fills a fresh data directory for {@code serve --demo}: the team's sample reports plus 90 days of
 * generated reports (three domains, forwarder, mailing list, misconfigured service, spoofing campaign,
 * failure and TLS reports) through the real pipeline, and a demo user with a random password.
 */
public final class DemoSetup {
    public static final String DEMO_USER = "demo";
    public static final int DAYS = 90;
    private static final long SEED = 20_240_531L;

    /** The demo's login and what was imported. */
    public record Result(String user, String password, int samples, int generated) {
    }

    private DemoSetup() {
    }

    /**
     * @param samples the sample-reports directory, or null when it is not around (a jar outside the repo)
     * @param today   the last day of the generated data
     */
    public static Result fill(Store store, UserStore users, Path samples, LocalDate today)
            throws IOException {
        return fill(store, users, samples, today, DAYS);
    }

    /** As {@link #fill(Store, UserStore, Path, LocalDate)} with fewer days (tests). */
    public static Result fill(Store store, UserStore users, Path samples, LocalDate today, int days)
            throws IOException {
        int sampleCount = 0;
        int generated = 0;
        // offline enrichment: the demo's documentation addresses have no reverse DNS worth asking for
        EnrichmentSettings offline = new EnrichmentSettings(true, null, List.of(), null, List.of());
        try (PipelineSetup setup = PipelineSetup.open(store, new ReportParser()::parse, offline,
                CommitMode.GROUPED, Clocks.system())) {
            ImportPipeline pipeline = setup.pipeline();
            if (samples != null && Files.isDirectory(samples)) {
                try (Stream<Path> files = Files.walk(samples)) {
                    for (Path f : files.filter(Files::isRegularFile).filter(DemoSetup::isReport).sorted().toList()) {
                        try {
                            pipeline.importFile("file:" + f, f);
                            sampleCount++;
                        } catch (ImportException e) {
                            // a quirk sample that holds no report: the pipeline's own tests cover those
                        }
                    }
                }
            }
            for (GeneratedReport r : new DemoDataGenerator().generate(today, days, SEED)) {
                try {
                    pipeline.importBytes("demo", r.fileName(), r.content());
                    generated++;
                } catch (ImportException e) {
                    throw new IOException("the demo report " + r.fileName() + " could not be imported: " + e.getMessage(), e);
                }
            }
        }
        store.flush();
        store.awaitIndexed();
        String password = randomPassword();
        users.addOrReplace(DEMO_USER, password.toCharArray());
        return new Result(DEMO_USER, password, sampleCount, generated);
    }

    private static boolean isReport(Path p) {
        String n = p.getFileName().toString();
        return !(n.endsWith(".md") || n.endsWith(".py"));
    }

    private static String randomPassword() {
        String alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
