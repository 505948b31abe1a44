package io.dmarclens.app.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.app.cli.MigrateCommand;
import io.dmarclens.demo.DemoDataGenerator;
import io.dmarclens.demo.GeneratedReport;
import io.dmarclens.index.EmbeddedStore;
import io.dmarclens.index.users.SqliteAccounts;
import io.dmarclens.ingest.enrich.EnrichmentSettings;
import io.dmarclens.ingest.pipeline.PipelineSetup;
import io.dmarclens.opensearch.OpenSearchAccounts;
import io.dmarclens.opensearch.OpenSearchSettings;
import io.dmarclens.opensearch.OpenSearchStore;
import io.dmarclens.opensearch.testing.DropIndicesAfterClass;
import io.dmarclens.opensearch.testing.OpenSearchTestNode;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.Store;
import io.dmarclens.store.users.UserInfo;
import io.dmarclens.testkit.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate}: an embedded store (sample reports, some mailed in, three days of generated traffic, a user
 * with an API token) copied into a real OpenSearch node answers every dashboard and API question as the
 * original ({@link StoreAnswers}); a copy interrupted half-way and run again completes it; a third run copies
 * nothing.
 */
@ExtendWith(DropIndicesAfterClass.class)
class MigrateTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-07-01T08:00:00Z"), ZoneOffset.UTC);
    private static final EnrichmentSettings OFFLINE = new EnrichmentSettings(true, null, List.of(), null, List.of());

    @TempDir
    Path dir;

    @Test
    void aCopyInterruptedAndRunAgainAnswersEveryQuestionAsTheOriginalAndARerunCopiesNothing() throws Exception {
        Path data = dir.resolve("data");
        int reports = fill(data);
        try (SqliteAccounts accounts = SqliteAccounts.open(data)) {
            accounts.saveUser("alice", "$2a$04$hash", CLOCK.instant());
            accounts.saveToken("digest-a", new io.dmarclens.store.users.ApiToken("digest-a", "alice", "grafana",
                    "example.com", CLOCK.instant(), Optional.of(CLOCK.instant().plusSeconds(86_400)), Optional.empty()));
            accounts.setRole("alice", io.dmarclens.store.users.Role.ANALYST);
            accounts.setScope("alice", "example.com");
            accounts.setTwoFactor("alice", "sealed", List.of("code-1", "code-2"));
        }
        OpenSearchSettings target = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(getClass(), dir));

        // Killed after a third of the sources (a progress callback that throws stands in for the kill).
        RuntimeException killed = assertThrows(RuntimeException.class, () -> MigrateCommand.copy(data, target,
                (done, total, soFar) -> {
                    if (done > total / 3) {
                        throw new IllegalStateException("killed");
                    }
                }));
        assertEquals("killed", killed.getMessage());

        MigrateCommand.Result second = MigrateCommand.copy(data, target, (done, total, soFar) -> { });
        assertTrue(second.totals().reports() > 0 && second.totals().already() > 0,
                "the second run copies the rest and finds the first run's copies: " + second);
        assertTrue(second.totals().reports() + second.totals().already() >= reports, "every stored report: " + second);
        assertEquals(1, second.users());
        assertEquals(1, second.tokens());

        MigrateCommand.Result third = MigrateCommand.copy(data, target, (done, total, soFar) -> { });
        assertEquals(0, third.totals().reports(), "a third run copies nothing: " + third);
        assertEquals(second.totals().reports() + second.totals().already(), third.totals().already());
        assertEquals(0, third.tokens());

        try (Store embedded = EmbeddedStore.openReadOnly(data, CLOCK);
             Store search = OpenSearchStore.open(target, CLOCK)) {
            search.awaitIndexed();
            StoreAnswers expected = StoreAnswers.of(embedded);
            assertTrue(expected.size() > 100, "answers compared: " + expected.size());
            expected.assertSameAs(StoreAnswers.of(search));
        }
        try (OpenSearchAccounts accounts = OpenSearchAccounts.open(target)) {
            assertEquals(List.of(new UserInfo("alice", CLOCK.instant(), 1, io.dmarclens.store.users.Role.ANALYST,
                    "example.com", true)), accounts.list(), "role, scope and second factor go along");
            assertEquals(List.of("code-1", "code-2"), accounts.recoveryCodeHashes("alice"));
            assertEquals(Optional.of("$2a$04$hash"), accounts.passwordHash("alice"));
            assertEquals(List.of(new io.dmarclens.store.users.ApiToken("digest-a", "alice", "grafana", "example.com",
                    CLOCK.instant(), Optional.of(CLOCK.instant().plusSeconds(86_400)), Optional.empty())),
                    accounts.tokens("alice"), "a token's label, scope and expiry go along");
            assertEquals(Optional.of("alice"), accounts.useToken("digest-a", CLOCK.instant()).map(io.dmarclens.store.users.ApiToken::user));
        }
    }

    /**
     * A report the parser withdraws and reads again with repairs (begin, abort, begin, end: the truncated end tag)
     * counts once as already there when it is copied again, as every other report: the interrupted copy above
     * compares the counts of two runs, and the killed run decides which of them copies such a report.
     */
    @Test
    void aReportReadAgainWithRepairsCountsOnceAsAlreadyThere() throws Exception {
        Path data = dir.resolve("data");
        try (Store store = EmbeddedStore.open(data, CLOCK);
             PipelineSetup p = PipelineSetup.open(store, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED, CLOCK)) {
            for (String name : List.of("quirk-truncated-end-tag.xml", "opendmarc-style.xml")) {
                p.pipeline().importFile("file", name, Corpus.sampleReports().resolve("aggregate").resolve(name));
            }
            store.flush();
            assertEquals(2, store.reports().countReports(io.dmarclens.store.query.ReportFilter.all()));
        }
        OpenSearchSettings target = OpenSearchTestNode.shared().settings(OpenSearchTestNode.prefix(getClass(), dir));

        MigrateCommand.Result first = MigrateCommand.copy(data, target, (done, total, soFar) -> { });
        assertEquals(2, first.totals().reports(), "both copied: " + first);
        assertEquals(0, first.totals().already(), "nothing there before: " + first);
        MigrateCommand.Result again = MigrateCommand.copy(data, target, (done, total, soFar) -> { });
        assertEquals(0, again.totals().reports(), "nothing copied twice: " + again);
        assertEquals(2, again.totals().already(), "each report counted once as already there: " + again);
    }

    /** Sample reports (the mails through the mail path, with their verdicts) and generated traffic; reports stored. */
    private static int fill(Path data) throws Exception {
        try (Store store = EmbeddedStore.open(data, CLOCK);
             PipelineSetup p = PipelineSetup.open(store, new ReportParser()::parse, OFFLINE, CommitMode.GROUPED, CLOCK)) {
            try (Stream<Path> walk = Files.walk(Corpus.sampleReports())) {
                for (Path f : walk.filter(Files::isRegularFile).filter(x -> !x.toString().endsWith(".md")
                        && !x.toString().endsWith(".py")).sorted().toList()) {
                    if (f.toString().endsWith(".eml")) {
                        p.pipeline().importMail("smtp:test", f.getFileName().toString(), f);
                    } else {
                        p.pipeline().importFile("file", f.getFileName().toString(), f);
                    }
                }
            }
            for (GeneratedReport r : new DemoDataGenerator().generate(LocalDate.of(2024, 6, 30), 3, 3)) {
                p.pipeline().importBytes("file", r.fileName(), r.content());
            }
            store.flush();
            store.awaitIndexed();
            long aggregate = store.reports().countReports(io.dmarclens.store.query.ReportFilter.all());
            long failure = store.failureReports().countByVerdict().values().stream().mapToLong(Long::longValue).sum();
            long tls = store.tlsReports().countByVerdict().values().stream().mapToLong(Long::longValue).sum();
            return (int) (aggregate + failure + tls);
        }
    }
}
