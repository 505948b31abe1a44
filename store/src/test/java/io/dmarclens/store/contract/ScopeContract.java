package io.dmarclens.store.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.parser.Report;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportParser;
import io.dmarclens.parser.aggregate.AggregateRecord;
import io.dmarclens.parser.aggregate.AggregateReport;
import io.dmarclens.parser.failure.FailureReport;
import io.dmarclens.parser.tlsrpt.TlsReport;
import io.dmarclens.store.Authenticity;
import io.dmarclens.store.CommitMode;
import io.dmarclens.store.ImportBatch;
import io.dmarclens.store.SourceFile;
import io.dmarclens.store.Store;
import io.dmarclens.store.enrichment.SenderInfo;
import io.dmarclens.store.query.DomainScope;
import io.dmarclens.store.query.FailureRow;
import io.dmarclens.store.query.Page;
import io.dmarclens.store.query.ReportFilter;
import io.dmarclens.store.query.ReportSort;
import io.dmarclens.store.query.ReportSummary;
import io.dmarclens.store.query.SourceSort;
import io.dmarclens.store.query.TlsReportSummary;
import io.dmarclens.store.query.Totals;
import io.dmarclens.store.search.SearchHit;
import io.dmarclens.store.search.SearchResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-domain scope (docs/security.md "Scope"): a store holding the reports of many domains, asked with a scope
 * X, answers exactly what a second store of the same kind holding only the reports of X answers unscoped:
 * totals, series, top lists, sources, forwarding, domains, reporters, report lists, details and records, failure
 * and TLS reports, exports, search (free text, CIDR, fields; totals and the first hits), date span and counts.
 * Nothing outside X is counted, listed or named. X is given three ways that must resolve alike: exact domains, a
 * pattern ({@code *.corp.test}), and a wider scope narrowed by a token's. A scope naming a domain the store does
 * not hold finds nothing, and ids and addresses outside the scope answer as if they did not exist.
 *
 * <p>The data: {@code sample-reports/} (foreign domains) and reports written here for {@code mail.corp.test} and
 * {@code shop.corp.test} (in X), their parent {@code corp.test} and {@code evil.test} (foreign); failure reports
 * of a subdomain of a domain in X (counted under it), of a subdomain whose policy domain is the foreign parent,
 * and of a foreign domain; TLS reports of X, of a foreign domain, and one naming a domain of X and a foreign
 * one (outside X: a report is in scope only when every policy domain it names is). One source address sends for
 * domains in and outside X.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ScopeContract {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
    private static final Set<String> X = Set.of("mail.corp.test", "shop.corp.test");
    private static final DomainScope EXACT = DomainScope.of(X);
    private static final DomainScope PATTERN = DomainScope.of(List.of("*.corp.test"));
    private static final DomainScope NARROWED = DomainScope.of(List.of("*.corp.test", "evil.test"))
            .narrowedBy(DomainScope.of(List.of("mail.corp.test", "shop.corp.test", "corp.test")));
    private static final DomainScope ABSENT = DomainScope.of(List.of("absent.example"));
    /** Sends for domains in X and outside it. */
    private static final String SHARED_IP = "100.64.9.9";
    /** Send for foreign domains only. */
    private static final List<String> FOREIGN_IPS = List.of("100.64.8.1", "100.64.8.2");
    private static final Set<String> IDS = Set.of("id", "reportRef", "tlsReportRef", "sourceId");

    private Store all;
    private Store only;

    /** Opens an empty store of the kind under test in {@code dir}. */
    protected abstract Store openStore(Path dir, Clock clock);

    /**
     * Opens the empty store that will hold the scope's reports alone and answer unscoped: one of the kind under
     * test by default. A store that is slow to open may give the embedded store instead, whose unscoped answers
     * equal its own (CrossStoreEqualityTest, SearchParityContract).
     */
    protected Store openReference(Path dir, Clock clock) {
        return openStore(dir, clock);
    }

    /**
     * The files to hold beside this test's reports: every one of {@code sample-reports/} and of
     * {@code ../shared/corpus} when present (real reports of many domains). A store that is slow to fill may
     * take a few, since they are all foreign to the scope and the scope's reports are this test's own.
     */
    protected List<Path> sampleFiles() {
        List<Path> files = new ArrayList<>(SampleData.sampleFiles());
        io.dmarclens.testkit.Corpus.sharedCorpus().ifPresent(corpus -> {
            try (java.util.stream.Stream<Path> walk = Files.walk(corpus)) {
                walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().endsWith(".md"))
                        .sorted().forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return files;
    }

    @BeforeAll
    void fill(@TempDir Path dir) throws IOException {
        List<Path> files = new ArrayList<>(sampleFiles());
        files.addAll(writeReports(Files.createDirectories(dir.resolve("reports"))));
        Map<Path, List<Report>> parsed = new LinkedHashMap<>();
        ReportParser parser = new ReportParser();
        Set<String> policyDomains = new HashSet<>();
        for (Path f : files) {
            try {
                List<Report> reports = parser.parseAll(f);
                parsed.put(f, reports);
                for (Report r : reports) {
                    if (r instanceof AggregateReport a) {
                        policyDomains.add(lower(a.header().policy().domain()));
                    } else if (r instanceof TlsReport t) {
                        t.policies().forEach(p -> policyDomains.add(lower(p.policyDomain())));
                    }
                }
            } catch (ReportParseException e) {
                // unreadable samples are the pipeline's business
            }
        }
        all = openStore(Files.createDirectories(dir.resolve("all")), CLOCK);
        only = openReference(Files.createDirectories(dir.resolve("only")), CLOCK);
        for (Map.Entry<Path, List<Report>> e : parsed.entrySet()) {
            importInto(all, e.getKey(), e.getValue());
            List<Report> inX = e.getValue().stream().filter(r -> inX(r, policyDomains)).toList();
            if (!inX.isEmpty()) {
                importInto(only, e.getKey(), inX);
            }
        }
        // grouped: one commit for the lot, which is all a store that refreshes per commit needs
        all.flush();
        only.flush();
        all.awaitIndexed();
        only.awaitIndexed();
    }

    @AfterAll
    void close() {
        if (all != null) {
            all.close();
        }
        if (only != null) {
            only.close();
        }
    }

    /** The rule of docs/security.md, worked out here on its own: which reports a reader of X may see. */
    private static boolean inX(Report r, Set<String> policyDomains) {
        if (r instanceof AggregateReport a) {
            return X.contains(lower(a.header().policy().domain()));
        }
        if (r instanceof FailureReport f) {
            return !f.reportedDomain().isEmpty()
                    && f.reportedDomain().stream().allMatch(d -> X.contains(countedUnder(lower(d), policyDomains)));
        }
        TlsReport t = (TlsReport) r;
        return !t.policies().isEmpty() && t.policies().stream().allMatch(p -> X.contains(lower(p.policyDomain())));
    }

    /** The longest policy domain held that is the domain or a parent of it, else the domain itself. */
    private static String countedUnder(String domain, Set<String> policyDomains) {
        String best = domain;
        int bestLength = -1;
        for (String p : policyDomains) {
            if ((domain.equals(p) || domain.endsWith("." + p)) && p.length() > bestLength) {
                best = p;
                bestLength = p.length();
            }
        }
        return best;
    }

    private static String lower(String d) {
        return d == null ? "" : d.strip().toLowerCase(Locale.ROOT);
    }

    private static void importInto(Store store, Path file, List<Report> reports) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try (ImportBatch batch = store.beginImport(SourceFile.of(file.getFileName().toString(), "file", bytes),
                CommitMode.GROUPED)) {
            for (Report r : reports) {
                if (r instanceof AggregateReport a) {
                    if (batch.beginAggregate(a.header())) {
                        for (AggregateRecord rec : a.records()) {
                            batch.record(rec, SampleData.enrichment(rec));
                        }
                        batch.endAggregate(a.warnings(), a.truncation());
                    }
                } else if (r instanceof FailureReport f) {
                    batch.failure(f);
                } else if (r instanceof TlsReport t) {
                    batch.tls(t);
                }
            }
            batch.commit();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // The scoped store equals the store of X's reports alone

    @Test
    void everyReadModelOfTheScopeIsTheStoreOfItsDomainsAlone() throws Exception {
        assertTrue(only.overview().totals(ReportFilter.all()).messages() > 0, "the store of X holds messages");
        assertTrue(all.overview().totals(ReportFilter.all()).messages()
                > only.overview().totals(ReportFilter.all()).messages(), "the other store holds foreign ones too");
        for (ReportFilter f : filters()) {
            readModelsAgree(EXACT, f, f.equals(ReportFilter.all()));
        }
    }

    @Test
    void aPatternAndANarrowedScopeResolveToTheSameDomains() throws Exception {
        for (DomainScope scope : List.of(PATTERN, NARROWED)) {
            readModelsAgree(scope, ReportFilter.all(), true);
        }
    }

    @Test
    void detailsByIdAreThoseOfTheStoreOfItsDomainsAlone() {
        List<ReportSummary> mine = all.reports().reports(ReportFilter.all().withScope(EXACT), ReportSort.NEWEST, Page.first(500));
        List<ReportSummary> theirs = only.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(500));
        assertEquals(normal(theirs), normal(mine));
        assertFalse(mine.isEmpty());
        for (int i = 0; i < mine.size(); i++) {
            long a = mine.get(i).id();
            long b = theirs.get(i).id();
            assertEquals(normal(only.reports().report(b)), normal(all.reports().report(a, EXACT)), "report " + a);
            assertEquals(normal(only.reports().reportRecords(b, Page.first(500))),
                    normal(all.reports().reportRecords(a, Page.first(500), EXACT)));
            assertEquals(normal(only.reports().warnings("aggregate", b)),
                    normal(all.reports().warnings("aggregate", a, EXACT)));
        }
        List<FailureRow> myFailures = all.failureReports().failureReports(ReportFilter.all().withScope(EXACT), Page.first(500));
        List<FailureRow> theirFailures = only.failureReports().failureReports(ReportFilter.all(), Page.first(500));
        assertEquals(2, theirFailures.size(), "a failure report of X and one of its subdomain");
        assertEquals(normal(theirFailures), normal(myFailures));
        for (int i = 0; i < myFailures.size(); i++) {
            long a = myFailures.get(i).id();
            long b = theirFailures.get(i).id();
            assertEquals(normal(only.failureReports().failureReport(b)),
                    normal(all.failureReports().failureReport(a, EXACT)));
            assertEquals(normal(only.failureReports().failureMessageHeaders(b)),
                    normal(all.failureReports().failureMessageHeaders(a, EXACT)));
            assertEquals(normal(only.reports().warnings("failure", b)), normal(all.reports().warnings("failure", a, EXACT)));
        }
        List<TlsReportSummary> myTls = all.tlsReports().tlsReports(ReportFilter.all().withScope(EXACT), Page.first(500));
        List<TlsReportSummary> theirTls = only.tlsReports().tlsReports(ReportFilter.all(), Page.first(500));
        assertEquals(1, theirTls.size(), "the TLS report of X; the one naming a foreign domain too is not");
        assertEquals(normal(theirTls), normal(myTls));
        for (int i = 0; i < myTls.size(); i++) {
            assertEquals(normal(only.tlsReports().tlsReport(theirTls.get(i).id())),
                    normal(all.tlsReports().tlsReport(myTls.get(i).id(), EXACT)));
            assertEquals(normal(only.reports().warnings("tls", theirTls.get(i).id())),
                    normal(all.reports().warnings("tls", myTls.get(i).id(), EXACT)));
        }
        List<Long> myRecords = new ArrayList<>();
        all.reports().exportRecords(ReportFilter.all().withScope(EXACT), r -> myRecords.add(r.id()));
        List<Long> theirRecords = new ArrayList<>();
        only.reports().exportRecords(ReportFilter.all(), r -> theirRecords.add(r.id()));
        assertEquals(normal(only.reports().records(theirRecords)), normal(all.reports().records(myRecords, EXACT)));
        List<Long> myTlsFailures = new ArrayList<>();
        all.tlsReports().exportTlsFailures(ReportFilter.all().withScope(EXACT), r -> myTlsFailures.add(r.id()));
        List<Long> theirTlsFailures = new ArrayList<>();
        only.tlsReports().exportTlsFailures(ReportFilter.all(), r -> theirTlsFailures.add(r.id()));
        assertEquals(normal(only.tlsReports().tlsFailures(theirTlsFailures)),
                normal(all.tlsReports().tlsFailures(myTlsFailures, EXACT)));
    }

    @Test
    void searchFindsTheScopesDocumentsInsideTheQuery() throws Exception {
        List<String> queries = List.of("date:[* TO *]", "kind:record", "kind:failure", "kind:tls", "ip:100.64.0.0/16",
                "ip:\"" + SHARED_IP + "\"", "ip:0.0.0.0/0", "domain:*", "domain:corp.test", "domain:evil.test",
                "domain:mail.corp.test", "corp", "mail", "test", "evil", "reporter:one", "dkim:fail",
                "class:forwarded", "mx:*", "-kind:record", "example");
        for (DomainScope scope : List.of(EXACT, PATTERN, NARROWED)) {
            for (String q : scope == EXACT ? queries : queries.subList(0, 6)) {
                // a small limit too, on a few: the cut comes after the scope, not before it
                for (int limit : scope == EXACT && queries.indexOf(q) < 8 ? new int[]{1000, 2} : new int[]{1000}) {
                    SearchResults theirs = only.search(q, limit, false);
                    SearchResults mine = all.search(q, limit, false, scope);
                    assertEquals(theirs.totalHits(), mine.totalHits(), q + " total, " + scope);
                    assertEquals(hits(theirs), hits(mine), q + " hits (limit " + limit + "), " + scope);
                }
            }
        }
        assertTrue(only.search("kind:failure", 100, false).totalHits() == 2
                && only.search("kind:tls", 100, false).totalHits() > 0, "X has failure and TLS documents");
        assertTrue(all.search("domain:evil.test", 100, false).totalHits() > 0, "evil.test is searchable for everyone");
        // what the search hits lead to is in scope as well
        List<Long> recordIds = all.search("kind:record", 1000, false, EXACT).hits().stream()
                .filter(h -> h.kind() == SearchHit.Kind.RECORD).map(SearchHit::id).toList();
        assertEquals(recordIds.size(), all.reports().records(recordIds, EXACT).size());
    }

    /** Every read model under {@code f}; with {@code perObject} also per source address and domain. */
    private void readModelsAgree(DomainScope scope, ReportFilter f, boolean perObject) throws Exception {
        ReportFilter mine = f.withScope(scope);
        String where = scope + " " + f;
        Page page = Page.first(500);
        check(where, "totals", g -> g.overview().totals(f), all.overview().totals(mine));
        check(where, "daily", g -> g.overview().daily(f), all.overview().daily(mine));
        for (SourceSort sort : SourceSort.values()) {
            check(where, "sources " + sort, g -> g.sources().sources(f, sort, page), all.sources().sources(mine, sort, page));
            check(where, "sources page 2 " + sort, g -> g.sources().sources(f, sort, new Page(1, 2)),
                    all.sources().sources(mine, sort, new Page(1, 2)));
        }
        check(where, "countSources", g -> g.sources().countSources(f), all.sources().countSources(mine));
        check(where, "failingSources", g -> g.sources().failingSources(f, page), all.sources().failingSources(mine, page));
        check(where, "allSources", g -> collect(sink -> g.sources().allSources(f, sink::add)),
                collect(sink -> all.sources().allSources(mine, sink::add)));
        for (String ip : perObject ? ips() : List.of(SHARED_IP)) {
            check(where, "sourceRecords " + ip, g -> g.sources().sourceRecords(ip, f, page),
                    all.sources().sourceRecords(ip, mine, page));
        }
        for (String d : perObject ? List.of("mail.corp.test", "shop.corp.test", "corp.test", "evil.test", "example.com")
                : List.of("mail.corp.test")) {
            check(where, "dkimSelectors " + d, g -> g.sources().dkimSelectors(d, f), all.sources().dkimSelectors(d, mine));
        }
        check(where, "forwardingSources", g -> g.forwarding().forwardingSources(f, page),
                all.forwarding().forwardingSources(mine, page));
        check(where, "forwardingDaily", g -> g.forwarding().forwardingDaily(f), all.forwarding().forwardingDaily(mine));
        check(where, "policyImpact", g -> g.domains().policyImpact(f), all.domains().policyImpact(mine));
        check(where, "reporters", g -> g.reporters().reporters(f, page), all.reporters().reporters(mine, page));
        for (ReportSort sort : ReportSort.values()) {
            check(where, "reports " + sort, g -> g.reports().reports(f, sort, page), all.reports().reports(mine, sort, page));
        }
        check(where, "countReports", g -> g.reports().countReports(f), all.reports().countReports(mine));
        check(where, "exportRecords", g -> collect(sink -> g.reports().exportRecords(f, sink::add)),
                collect(sink -> all.reports().exportRecords(mine, sink::add)));
        check(where, "failureReports", g -> g.failureReports().failureReports(f, page),
                all.failureReports().failureReports(mine, page));
        check(where, "exportFailureReports", g -> collect(sink -> g.failureReports().exportFailureReports(f, sink::add)),
                collect(sink -> all.failureReports().exportFailureReports(mine, sink::add)));
        check(where, "tlsReports", g -> g.tlsReports().tlsReports(f, page), all.tlsReports().tlsReports(mine, page));
        check(where, "exportTlsFailures", g -> collect(sink -> g.tlsReports().exportTlsFailures(f, sink::add)),
                collect(sink -> all.tlsReports().exportTlsFailures(mine, sink::add)));
        if (!perObject) {
            return;
        }
        // the answers that take no filter
        check(where, "dateSpan", g -> g.overview().dateSpan(), all.overview().dateSpan(scope));
        check(where, "countByVerdict", g -> g.reports().countByVerdict(), all.reports().countByVerdict(scope));
        check(where, "failure countByVerdict", g -> g.failureReports().countByVerdict(),
                all.failureReports().countByVerdict(scope));
        check(where, "tls countByVerdict", g -> g.tlsReports().countByVerdict(), all.tlsReports().countByVerdict(scope));
        for (String d : List.of("mail.corp.test", "shop.corp.test", "corp.test", "evil.test", "example.com")) {
            check(where, "policyHistory " + d, g -> g.domains().policyHistory(d, false),
                    all.domains().policyHistory(d, false, scope));
        }
        for (String ip : ips()) {
            check(where, "sender " + ip, g -> g.sources().sender(ip), all.sources().sender(ip, scope).orElse(SenderInfo.UNKNOWN));
        }
    }

    private void check(String where, String what, Function<Store, Object> answer, Object scoped) {
        assertEquals(normal(answer.apply(only)), normal(scoped), what + " under " + where);
    }

    private static List<ReportFilter> filters() {
        ReportFilter everything = ReportFilter.all();
        return List.of(everything,
                everything.withRange(LocalDate.parse("2026-11-11"), LocalDate.parse("2026-11-12")),
                everything.withDomains(Set.of("mail.corp.test", "evil.test", "corp.test")),
                everything.withReporters(Set.of("Reporter One")),
                everything.excludingUnverified(true));
    }

    /**
     * The source addresses of this test's reports (of X, of both, foreign only) and a few of the samples, of
     * aggregate and failure reports.
     */
    private List<String> ips() {
        Set<String> held = new TreeSet<>();
        all.sources().allSources(ReportFilter.all(), s -> held.add(s.ip()));
        all.failureReports().exportFailureReports(ReportFilter.all(), r -> {
            if (r.sourceIp() != null) {
                held.add(r.sourceIp());
            }
        });
        List<String> ips = new ArrayList<>(List.of(SHARED_IP, "100.64.0.1", "100.64.0.2", "100.64.0.3", "100.64.0.4"));
        ips.addAll(FOREIGN_IPS);
        assertTrue(held.containsAll(ips), "the data has the addresses the test needs");
        held.stream().filter(ip -> !ip.startsWith("100.64.")).limit(3).forEach(ips::add);
        return ips;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Outside the scope: absent, as if it did not exist

    @Test
    void objectsOutsideTheScopeAreAbsent() {
        Set<Long> mine = new HashSet<>();
        all.reports().reports(ReportFilter.all().withScope(EXACT), ReportSort.NEWEST, Page.first(500)).forEach(r -> mine.add(r.id()));
        List<ReportSummary> foreign = all.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(500)).stream()
                .filter(r -> !mine.contains(r.id())).toList();
        assertTrue(foreign.size() > 5, "foreign reports stored");
        for (ReportSummary r : foreign) {
            assertFalse(X.contains(r.policyDomain()));
            assertTrue(all.reports().report(r.id()).isPresent());
            assertEquals(Optional.empty(), all.reports().report(r.id(), EXACT), "report " + r.id());
            assertEquals(List.of(), all.reports().reportRecords(r.id(), Page.first(500), EXACT));
            assertEquals(List.of(), all.reports().warnings("aggregate", r.id(), EXACT));
        }
        List<Long> foreignRecords = new ArrayList<>();
        all.reports().exportRecords(ReportFilter.all(), rec -> {
            if (!X.contains(rec.policyDomain())) {
                foreignRecords.add(rec.id());
            }
        });
        assertFalse(foreignRecords.isEmpty());
        assertEquals(List.of(), all.reports().records(foreignRecords, EXACT));

        Set<Long> myFailures = new HashSet<>();
        all.failureReports().exportFailureReports(ReportFilter.all().withScope(EXACT), f -> myFailures.add(f.id()));
        List<FailureRow> foreignFailures = new ArrayList<>();
        all.failureReports().exportFailureReports(ReportFilter.all(), f -> {
            if (!myFailures.contains(f.id())) {
                foreignFailures.add(f);
            }
        });
        assertTrue(foreignFailures.stream().anyMatch(f -> f.reportedDomain().contains("deep.corp.test")),
                "a subdomain of a foreign policy domain is foreign, though *.corp.test would name it");
        for (FailureRow f : foreignFailures) {
            assertEquals(Optional.empty(), all.failureReports().failureReport(f.id(), PATTERN), "failure " + f.id());
            assertEquals(0, all.failureReports().failureMessageHeaders(f.id(), EXACT).size());
            assertEquals(List.of(), all.reports().warnings("failure", f.id(), EXACT));
        }

        Set<Long> myTls = new HashSet<>();
        all.tlsReports().tlsReports(ReportFilter.all().withScope(EXACT), Page.first(500)).forEach(t -> myTls.add(t.id()));
        List<TlsReportSummary> foreignTls = all.tlsReports().tlsReports(ReportFilter.all(), Page.first(500)).stream()
                .filter(t -> !myTls.contains(t.id())).toList();
        assertTrue(foreignTls.size() >= 3, "the samples', evil.test's and the one naming both");
        for (TlsReportSummary t : foreignTls) {
            assertEquals(Optional.empty(), all.tlsReports().tlsReport(t.id(), EXACT), "TLS report " + t.id());
            assertEquals(List.of(), all.reports().warnings("tls", t.id(), EXACT));
        }
        List<Long> foreignTlsFailures = new ArrayList<>();
        all.tlsReports().exportTlsFailures(ReportFilter.all(), d -> {
            if (!X.contains(d.policyDomain())) {
                foreignTlsFailures.add(d.id());
            }
        });
        assertFalse(foreignTlsFailures.isEmpty());
        assertEquals(List.of(), all.tlsReports().tlsFailures(foreignTlsFailures, EXACT));

        for (String ip : FOREIGN_IPS) {
            assertTrue(all.sources().sender(ip, DomainScope.all()).isPresent());
            assertEquals(Optional.empty(), all.sources().sender(ip, EXACT), ip);
            assertEquals(List.of(), all.sources().sourceRecords(ip, ReportFilter.all().withScope(EXACT), Page.first(10)));
        }
        assertTrue(all.sources().sender(SHARED_IP, EXACT).isPresent(), "a source of X is there, whoever else it sends for");
        for (String d : List.of("corp.test", "evil.test", "example.com")) {
            assertFalse(all.domains().policyHistory(d, false).isEmpty(), d);
            assertEquals(List.of(), all.domains().policyHistory(d, false, EXACT), d);
        }
    }

    @Test
    void aRawSourceIsTheReadersOnlyWhenEveryReportInItIs() throws IOException {
        Map<Long, Set<Boolean>> sources = new TreeMap<>();
        all.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(500)).forEach(r -> sources
                .computeIfAbsent(r.sourceId(), k -> new HashSet<>()).add(X.contains(r.policyDomain())));
        // which failure reports are X's is proven against the store of X alone (detailsById...)
        Set<Long> myFailures = new HashSet<>();
        all.failureReports().exportFailureReports(ReportFilter.all().withScope(EXACT), f -> myFailures.add(f.id()));
        all.failureReports().exportFailureReports(ReportFilter.all(), f -> sources.computeIfAbsent(f.sourceId(),
                k -> new HashSet<>()).add(myFailures.contains(f.id())));
        Set<Long> myTls = new HashSet<>();
        all.tlsReports().tlsReports(ReportFilter.all().withScope(EXACT), Page.first(500)).forEach(t -> myTls.add(t.id()));
        all.tlsReports().tlsReports(ReportFilter.all(), Page.first(500)).forEach(t -> sources
                .computeIfAbsent(t.sourceId(), k -> new HashSet<>()).add(myTls.contains(t.id())));
        int mine = 0;
        for (Map.Entry<Long, Set<Boolean>> e : sources.entrySet()) {
            boolean expected = !e.getValue().contains(false);
            assertEquals(expected, all.rawSources().rawSource(e.getKey(), EXACT).isPresent(), "source " + e.getKey());
            ByteArrayOutputStream scoped = new ByteArrayOutputStream();
            assertEquals(expected, all.rawSources().copyRawSource(e.getKey(), scoped, EXACT));
            if (expected) {
                mine++;
                ByteArrayOutputStream unscoped = new ByteArrayOutputStream();
                all.rawSources().copyRawSource(e.getKey(), unscoped);
                assertArrayEquals(unscoped.toByteArray(), scoped.toByteArray());
            } else {
                assertEquals(0, scoped.size(), "nothing of a foreign source is written");
            }
        }
        assertTrue(mine >= 6 && mine < sources.size(), mine + " of " + sources.size() + " sources are X's");
        assertEquals(Optional.empty(), all.rawSources().rawSource(sources.keySet().iterator().next(), ABSENT));
    }

    @Test
    void aScopeOfADomainNotHeldFindsNothing() throws Exception {
        for (ReportFilter f : filters()) {
            ReportFilter none = f.withScope(ABSENT);
            assertEquals(Totals.ZERO, all.overview().totals(none));
            assertEquals(List.of(), all.overview().daily(none));
            assertEquals(List.of(), all.sources().sources(none, SourceSort.MESSAGES, Page.first(10)));
            assertEquals(0, all.sources().countSources(none));
            assertEquals(List.of(), all.sources().failingSources(none, Page.first(10)));
            assertEquals(List.of(), collect(sink -> all.sources().allSources(none, sink::add)));
            assertEquals(List.of(), all.forwarding().forwardingSources(none, Page.first(10)));
            assertEquals(List.of(), all.forwarding().forwardingDaily(none));
            assertEquals(List.of(), all.domains().policyImpact(none));
            assertEquals(List.of(), all.reporters().reporters(none, Page.first(10)));
            assertEquals(List.of(), all.reports().reports(none, ReportSort.NEWEST, Page.first(10)));
            assertEquals(0, all.reports().countReports(none));
            assertEquals(List.of(), collect(sink -> all.reports().exportRecords(none, sink::add)));
            assertEquals(List.of(), all.failureReports().failureReports(none, Page.first(10)));
            assertEquals(List.of(), all.tlsReports().tlsReports(none, Page.first(10)));
            assertEquals(List.of(), collect(sink -> all.tlsReports().exportTlsFailures(none, sink::add)));
            assertEquals(List.of(), all.sources().sourceRecords(SHARED_IP, none, Page.first(10)));
            assertEquals(Set.of(), all.sources().dkimSelectors("mail.corp.test", none));
        }
        assertEquals(Optional.empty(), all.overview().dateSpan(ABSENT));
        for (Map<Authenticity.Verdict, Long> counts : List.of(all.reports().countByVerdict(ABSENT),
                all.failureReports().countByVerdict(ABSENT), all.tlsReports().countByVerdict(ABSENT))) {
            assertEquals(Set.of(0L), new HashSet<>(counts.values()));
        }
        for (String q : List.of("date:[* TO *]", "ip:0.0.0.0/0", "corp", "domain:*")) {
            SearchResults r = all.search(q, 100, false, ABSENT);
            assertEquals(0, r.totalHits(), q);
            assertEquals(List.of(), r.hits(), q);
        }
        assertEquals(Optional.empty(), all.sources().sender(SHARED_IP, ABSENT));
        assertEquals(List.of(), all.domains().policyHistory("mail.corp.test", false, ABSENT));
        long someReport = all.reports().reports(ReportFilter.all(), ReportSort.NEWEST, Page.first(1)).get(0).id();
        assertEquals(Optional.empty(), all.reports().report(someReport, ABSENT));
        // and the scope of every domain is every answer
        assertEquals(all.overview().totals(ReportFilter.all()),
                all.overview().totals(ReportFilter.all().withScope(DomainScope.all())));
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private static <T> List<T> collect(java.util.function.Consumer<List<T>> fill) {
        List<T> out = new ArrayList<>();
        fill.accept(out);
        return out;
    }

    /**
     * Hits by date and kind: each store numbers its documents its own way, and documents of one date come in
     * the order of their numbers, so hits of one date are compared as a set.
     */
    private static List<String> hits(SearchResults r) {
        return r.hits().stream().map(h -> h.date() + " " + h.kind()).sorted(java.util.Comparator.reverseOrder()).toList();
    }

    /**
     * A value with the ids each store gives its rows left out (records, recursively; collections and maps of
     * them), for comparing the answers of two stores.
     */
    static Object normal(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Record r) {
            Map<String, Object> m = new TreeMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (IDS.contains(c.getName())) {
                    continue;
                }
                try {
                    m.put(c.getName(), normal(c.getAccessor().invoke(r)));
                } catch (IllegalAccessException | InvocationTargetException e) {
                    throw new IllegalStateException(e);
                }
            }
            return r.getClass().getSimpleName() + m;
        }
        if (o instanceof Optional<?> opt) {
            return opt.map(ScopeContract::normal).map(v -> (Object) List.of(v)).orElse(List.of());
        }
        if (o instanceof Set<?> s) {
            return new TreeSet<>(s.stream().map(v -> String.valueOf(normal(v))).toList());
        }
        if (o instanceof Collection<?> c) {
            return c.stream().map(ScopeContract::normal).toList();
        }
        if (o instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), normal(v)));
            return out;
        }
        if (o instanceof Object[] a) {
            return java.util.Arrays.stream(a).map(ScopeContract::normal).toList();
        }
        return o;
    }

    // ---------------------------------------------------------------------------------------------------------
    // the reports of this test

    private static List<Path> writeReports(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(write(dir, "mail-1.xml", aggregate("Reporter One", "m1", "mail.corp.test", "2026-11-10",
                row("100.64.0.1", 10, "pass", "pass", "mail.corp.test", "s1"),
                row("100.64.0.2", 3, "fail", "fail", "mail.corp.test", "s1"),
                row(SHARED_IP, 4, "pass", "fail", "mail.corp.test", "fwd"))));
        out.add(write(dir, "mail-2.xml", aggregate("Reporter Two", "m2", "mail.corp.test", "2026-11-11",
                row("100.64.0.1", 5, "pass", "pass", "mail.corp.test", "s2"),
                row("100.64.0.3", 2, "fail", "pass", "mail.corp.test", "s2"))));
        out.add(write(dir, "shop-1.xml", aggregate("Reporter One", "s1", "shop.corp.test", "2026-11-11",
                row("100.64.0.4", 7, "pass", "pass", "shop.corp.test", "shop"),
                row(SHARED_IP, 1, "fail", "fail", "shop.corp.test", "shop"))));
        out.add(write(dir, "corp-1.xml", aggregate("Reporter One", "c1", "corp.test", "2026-11-10",
                row(SHARED_IP, 50, "fail", "fail", "corp.test", "corp"),
                row(FOREIGN_IPS.get(0), 20, "pass", "pass", "corp.test", "corp"))));
        out.add(write(dir, "evil-1.xml", aggregate("Reporter Two", "e1", "evil.test", "2026-11-12",
                row(FOREIGN_IPS.get(1), 9, "fail", "fail", "evil.test", "evil"),
                row(SHARED_IP, 2, "pass", "pass", "evil.test", "evil"))));
        out.add(write(dir, "failure-mail.eml", arf("f1", "mail.corp.test", "100.64.0.2", "Tue, 10 Nov 2026 08:00:00 +0000")));
        out.add(write(dir, "failure-news.eml", arf("f2", "news.mail.corp.test", SHARED_IP, "Wed, 11 Nov 2026 09:00:00 +0000")));
        out.add(write(dir, "failure-deep.eml", arf("f3", "deep.corp.test", FOREIGN_IPS.get(0), "Wed, 11 Nov 2026 10:00:00 +0000")));
        out.add(write(dir, "failure-evil.eml", arf("f4", "evil.test", FOREIGN_IPS.get(1), "Thu, 12 Nov 2026 11:00:00 +0000")));
        out.add(gzip(dir, "tls-mail.json.gz", tls("t1", "2026-11-10", policy("mail.corp.test", "100.64.0.9"))));
        out.add(gzip(dir, "tls-evil.json.gz", tls("t2", "2026-11-11", policy("evil.test", FOREIGN_IPS.get(1)))));
        out.add(gzip(dir, "tls-both.json.gz", tls("t3", "2026-11-12", policy("shop.corp.test", null),
                policy("evil.test", FOREIGN_IPS.get(1)))));
        return out;
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Path gzip(Path dir, String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    private static String aggregate(String org, String id, String domain, String day, String... rows) {
        long begin = LocalDate.parse(day).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback>\n<report_metadata><org_name>" + org
                + "</org_name><email>dmarc@" + org.toLowerCase(Locale.ROOT).replace(' ', '-') + ".example</email><report_id>"
                + id + "</report_id><date_range><begin>" + begin + "</begin><end>" + (begin + 86_399)
                + "</end></date_range></report_metadata>\n<policy_published><domain>" + domain
                + "</domain><adkim>r</adkim><aspf>r</aspf><p>none</p><sp>none</sp><pct>100</pct></policy_published>\n"
                + String.join("\n", rows) + "\n</feedback>\n";
    }

    private static String row(String ip, int count, String dkim, String spf, String domain, String selector) {
        return "<record><row><source_ip>" + ip + "</source_ip><count>" + count + "</count><policy_evaluated>"
                + "<disposition>none</disposition><dkim>" + dkim + "</dkim><spf>" + spf + "</spf></policy_evaluated></row>"
                + "<identifiers><header_from>" + domain + "</header_from></identifiers><auth_results><dkim><domain>"
                + domain + "</domain><selector>" + selector + "</selector><result>" + dkim + "</result></dkim><spf><domain>"
                + domain + "</domain><result>" + spf + "</result></spf></auth_results></record>";
    }

    private static String arf(String id, String reportedDomain, String ip, String arrival) {
        return "From: Reporter <ruf@mx.reporter.example>\r\nTo: dmarc-ruf@corp.test\r\nDate: " + arrival
                + "\r\nSubject: Report " + id + "\r\nMessage-Id: <" + id + "@mx.reporter.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"b-" + id + "\"\r\n\r\n"
                + "--b-" + id + "\r\nContent-Type: text/plain\r\n\r\nAn authentication failure report.\r\n\r\n"
                + "--b-" + id + "\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: auth-failure\r\n"
                + "Version: 1\r\nUser-Agent: Scope-Test/1.0\r\nAuth-Failure: dmarc\r\nArrival-Date: " + arrival + "\r\n"
                + "Source-IP: " + ip + "\r\nReported-Domain: " + reportedDomain + "\r\n\r\n"
                + "--b-" + id + "\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: Someone <someone@" + reportedDomain
                + ">\r\nTo: someone@elsewhere.example\r\nSubject: Hello from " + reportedDomain + "\r\nMessage-ID: <"
                + id + "-orig@" + reportedDomain + ">\r\nDate: " + arrival + "\r\n\r\n--b-" + id + "--\r\n";
    }

    private static String tls(String id, String day, String... policies) {
        return "{\"organization-name\": \"TLS Reporter\", \"date-range\": {\"start-datetime\": \"" + day
                + "T00:00:00Z\", \"end-datetime\": \"" + day + "T23:59:59Z\"}, \"contact-info\": \"tls@reporter.example\","
                + " \"report-id\": \"" + id + "\", \"policies\": [" + String.join(",", policies) + "]}";
    }

    private static String policy(String domain, String failingIp) {
        String failures = failingIp == null ? "" : ", \"failure-details\": [{\"result-type\": \"certificate-expired\","
                + " \"sending-mta-ip\": \"" + failingIp + "\", \"receiving-mx-hostname\": \"mx." + domain + "\","
                + " \"failed-session-count\": 4}]";
        return "{\"policy\": {\"policy-type\": \"sts\", \"policy-string\": [\"version: STSv1\", \"mode: enforce\"],"
                + " \"policy-domain\": \"" + domain + "\", \"mx-host\": [\"mx." + domain + "\"]}, \"summary\": {"
                + "\"total-successful-session-count\": 100, \"total-failure-session-count\": " + (failingIp == null ? 0 : 4)
                + "}" + failures + "}";
    }
}
