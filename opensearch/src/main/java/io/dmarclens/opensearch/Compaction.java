package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.query.DaySplit;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The compact rollup: per UTC day and source IP (and whether the origin was verified) the sums the source
 * lists, the totals, the daily series and the forwarding list and series need, computed from that day's per-report rollups, so that a list over 90 days reads days x sources
 * documents instead of one per report, key and day; per day, reporter and source IP the source lists' sums
 * ({@link #REPORTER_SOURCE}), for the lists filtered by reporter; and per day and policy domain the policy impact's
 * sums ({@link #DOMAIN}).
 *
 * <p><b>Exact, without a transaction.</b> Each day has a state document ({@code kind: day}, id {@code day:DAY})
 * with a generation {@code gen} and the generation its sums were computed at, {@code computed}. Every change to
 * what readers see of a day's rollups (a commit, retention, re-classification, reindex) raises {@code gen}
 * before the change can be seen and again after it is visible ({@link #touch}). A computation reads the state
 * (realtime, with its sequence number), gives up when a copy being written or removed has rollups on the day,
 * sums the visible rollups, writes one document per source with {@code version_type=external} and the version
 * {@code gen} (a late or repeated computation never overwrites a newer one), refreshes, and only then sets
 * {@code computed = gen} by compare-and-set on the state it read: any change since makes that fail. The sums
 * are never incremented, so a retried or concurrent computation cannot count twice, and two nodes may compute
 * the same day at once. A reader takes a day's compact documents ({@code day_gen} = DAY/gen) only when its
 * state, read after the hidden copies, says {@code computed == gen}; every other day is read from the
 * per-report rollups ({@link #current}).
 *
 * <p><b>Cheap at import.</b> Changed days are remembered and computed once nothing touched them for
 * {@value #QUIET_MILLIS} ms, or one and a half commit group windows when longer (an import touches the same days
 * report after report), at the latest
 * {@value #MAX_WAIT_MILLIS} ms after the first touch (steady mail; thirty group windows when longer), and at close.
 */
final class Compaction implements AutoCloseable {
    static final long QUIET_MILLIS = 3_000;
    /**
     * How long no commit may touch a day before it is computed: {@link #QUIET_MILLIS}, or one and a half grouping
     * windows when they are longer (an offline import with a 10 s window commits every 10 s: computing every day
     * its groups touched after each of them aggregated the whole store again and again).
     */
    private final long quietMillis;
    /** Longest a touched day waits under a steady flow of commits (which never leaves it quiet). */
    static final long MAX_WAIT_MILLIS = 60_000;
    /**
     * {@link #MAX_WAIT_MILLIS}, or thirty group windows when longer: an offline import with a 10 s window touches
     * every day of its files all along, and computing them all each minute aggregated the growing store again
     * and again; its days are read from the per-report rollups meanwhile, exact all the same.
     */
    private final long maxWaitMillis;
    /**
     * The template version whose compact documents this build writes: a store opened with older templates gets
     * every day computed again (5 brought the compact rollup; 6 added the sums of forwarded mail, {@link #FWD_DKIM}
     * and {@link #FWD_REASONS}; 7 the documents per reporter, {@link #REPORTER_SOURCE}; 8 those per policy domain,
     * {@link #DOMAIN}). Until a day is computed again it is read from the per-report rollups.
     */
    static final int SINCE_VERSION = 8;
    /** Longest day range read from the compact rollup (a day's state is one realtime get). */
    static final int MAX_DAYS = 1_000;
    static final String DAY = "day";
    static final String SOURCE = "source";
    /**
     * Kind of the compact documents per day, reporter, source IP and verdict: the sums of the source lists only
     * (messages, DMARC pass, SPF and DKIM aligned, per classification), for lists filtered by reporter. Computed
     * in the same pass as the {@link #SOURCE} documents and under the same day state, so both are current together.
     */
    static final String REPORTER_SOURCE = "reporter_source";
    /**
     * Kind of the compact documents per day, policy domain and verdict: the sums of the policy impact (messages, and
     * of the messages failing DMARC: all, forwarded, misconfigured, threat, quarantined, rejected), which summed
     * the per-report rollups of every domain (a rollup document per report, key and day) on every dashboard view.
     * Computed in the same pass as the {@link #SOURCE} documents, under the same day state.
     */
    static final String DOMAIN = "domain";
    /** The sums of a {@link #DOMAIN} document, in the order the policy impact reads them. */
    static final List<String> IMPACT_FIELDS = List.of("messages", "failing", "failing_forwarded",
            "failing_misconfigured", "failing_threat", "failing_quarantine", "failing_reject");
    /** The sums of a {@link #REPORTER_SOURCE} document, in the order the source lists read them. */
    static final List<String> LIST_FIELDS = List.of("messages", "dmarc_pass", "spf_aligned", "dkim_aligned",
            "class_none", "class_compliant", "class_forwarded", "class_misconfigured", "class_threat");
    /** Compact fields of the classification tokens of {@link SourceTotals#CLASSIFICATIONS}, in that order. */
    static final List<String> CLASS_FIELDS = List.of("class_none", "class_compliant", "class_forwarded",
            "class_misconfigured", "class_threat");
    /** Compact field: messages classified forwarded whose DKIM was aligned (the forwarding lists' "DKIM survived"). */
    static final String FWD_DKIM = "fwd_dkim";
    /**
     * Compact field: the override reason types of the day's forwarded mail from the source, each only when its
     * messages add up to more than zero (counts are never negative, so the union over days is exact).
     */
    static final String FWD_REASONS = "fwd_reasons";
    /** More than there are override reason types (an enum), so the terms of a day and source are all of them. */
    private static final int REASON_TYPES_MAX = 100;
    private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);
    private static final String BUMP = "ctx._source.gen += 1";

    private final Cluster cluster;
    private final IndexNames names;
    private final Visibility visibility;
    private final Reads reads;
    private final Set<LocalDate> dirty = new TreeSet<>();
    private long lastTouch;
    /** When the oldest day still dirty was touched (System.nanoTime), valid while {@link #dirty} is not empty. */
    private long firstTouch;
    private final ScheduledExecutorService worker;

    Compaction(Cluster cluster, IndexNames names, Visibility visibility, long groupWindowMillis) {
        this.quietMillis = Math.max(QUIET_MILLIS, groupWindowMillis * 3 / 2);
        this.maxWaitMillis = Math.max(MAX_WAIT_MILLIS, groupWindowMillis * 30);
        this.cluster = cluster;
        this.names = names;
        this.visibility = visibility;
        this.reads = new Reads(cluster, names, visibility);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opensearch-compaction");
            t.setDaemon(true);
            return t;
        });
        worker.scheduleWithFixedDelay(this::computeQuiet, QUIET_MILLIS, QUIET_MILLIS / 3, TimeUnit.MILLISECONDS);
        // Days left stale by a node that stopped before computing them (or when the compact index is new).
        worker.schedule(() -> {
            try {
                sweep();
            } catch (RuntimeException e) {
                LOG.debug("compact rollup: sweep failed", e);
            }
        }, QUIET_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Marks every day that has rollups as changed: for a store written before the compact rollup existed, and
     * after reindex rewrote the rollups. The days are computed once quiet.
     */
    void touchAllDays() {
        ArrayNode sources = JsonNodes.object().arrayNode();
        sources.addObject().putObject(DAY).putObject("date_histogram").put("field", DAY)
                .put("calendar_interval", "1d").put("format", "yyyy-MM-dd");
        List<LocalDate> days = new ArrayList<>();
        reads.composite(Family.ROLLUPS, JsonNodes.object().set("match_all", JsonNodes.object()), sources, null,
                b -> days.add(LocalDate.parse(b.path("key").path(DAY).asText())));
        for (int from = 0; from < days.size(); from += 500) {
            List<LocalDate> part = days.subList(from, Math.min(days.size(), from + 500));
            touch(part);
            touch(part);
        }
    }

    /** The days a report from {@code begin} to {@code end} (epoch seconds) has rollups on. */
    static List<LocalDate> days(long begin, long end) {
        DaySplit split = DaySplit.of(begin, end);
        List<LocalDate> out = new ArrayList<>();
        for (int i = 0; i < split.days(); i++) {
            out.add(LocalDate.ofEpochDay(split.firstDay() + i));
        }
        return out;
    }

    /**
     * Raises the generation of {@code days} (creating their state documents): called before a change to their
     * rollups can be seen and again once it is visible, so that no computation spanning the change is taken.
     */
    void touch(Collection<LocalDate> days) {
        if (days.isEmpty()) {
            return;
        }
        List<Object> lines = new ArrayList<>();
        for (LocalDate d : new TreeSet<>(days)) {
            ObjectNode action = JsonNodes.object();
            action.putObject("update").put("_index", names.of(Family.COMPACT)).put("_id", stateId(d))
                    .put("retry_on_conflict", 10);
            lines.add(action);
            ObjectNode doc = JsonNodes.object();
            doc.putObject("script").put("source", BUMP).put("lang", "painless");
            doc.putObject("upsert").put("kind", DAY).put(DAY, d.toString()).put("gen", 1).put("computed", 0);
            lines.add(doc);
        }
        cluster.bulk(lines, null);
        synchronized (dirty) {
            lastTouch = System.nanoTime();
            if (dirty.isEmpty()) {
                firstTouch = lastTouch;
            }
            dirty.addAll(days);
        }
    }

    /** Days the sweep should bring current: every state whose sums are older than its changes. */
    void sweep() {
        ObjectNode q = JsonNodes.object();
        q.putObject("term").put("kind", DAY);
        ArrayNode sort = JsonNodes.object().arrayNode();
        sort.addObject().put(DAY, "asc");
        List<LocalDate> stale = new ArrayList<>();
        reads.each(Family.COMPACT, q, sort, hit -> {
            JsonNode s = hit.path("_source");
            if (s.path("gen").asLong() != s.path("computed").asLong()) {
                stale.add(LocalDate.parse(s.path(DAY).asText()));
            }
        });
        synchronized (dirty) {
            if (dirty.isEmpty()) {
                firstTouch = System.nanoTime();
            }
            dirty.addAll(stale);
        }
    }

    /**
     * The days of {@code [from, to]} whose compact documents are current, each with its {@code day_gen}: read
     * realtime after the caller read the hidden copies, so that a report visible to the caller has raised its
     * days before (a commit raises them before it flips the report visible).
     */
    Map<LocalDate, String> current(LocalDate from, LocalDate to) {
        Map<LocalDate, String> out = new HashMap<>();
        ObjectNode body = JsonNodes.object();
        ArrayNode ids = body.putArray("ids");
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            ids.add(stateId(d));
        }
        JsonNode docs = cluster.ok("POST", "/" + names.of(Family.COMPACT) + "/_mget", Map.of(), body).path("docs");
        for (JsonNode doc : docs) {
            JsonNode s = doc.path("_source");
            if (doc.path("found").asBoolean(false) && s.path("gen").asLong() == s.path("computed").asLong()) {
                LocalDate day = LocalDate.parse(s.path(DAY).asText());
                out.put(day, dayGen(day, s.path("gen").asLong()));
            }
        }
        return out;
    }

    /** Whether the compact rollup can answer a filter: every domain and reporter, a bounded range. */
    static boolean answers(io.dmarclens.store.query.ReportFilter filter) {
        return filter.domains().isEmpty() && filter.reporters().isEmpty() && filter.from() != null
                && filter.to() != null && filter.to().toEpochDay() - filter.from().toEpochDay() < MAX_DAYS;
    }

    /**
     * Whether the compact documents per reporter can answer a source list's filter: some reporters, every
     * domain, a bounded range.
     */
    static boolean answersPerReporter(io.dmarclens.store.query.ReportFilter filter) {
        return filter.domains().isEmpty() && !filter.reporters().isEmpty() && filter.from() != null
                && filter.to() != null && filter.to().toEpochDay() - filter.from().toEpochDay() < MAX_DAYS;
    }

    /**
     * Whether the compact documents per policy domain can answer the policy impact's filter: no reporter (they are
     * summed over every reporter), a bounded range; domains and the unverified flag they hold.
     */
    static boolean answersPerDomain(io.dmarclens.store.query.ReportFilter filter) {
        return filter.reporters().isEmpty() && filter.from() != null
                && filter.to() != null && filter.to().toEpochDay() - filter.from().toEpochDay() < MAX_DAYS;
    }

    /** The query on the compact documents of the current days ({@link #current}). */
    static ObjectNode onCurrent(Map<LocalDate, String> current, boolean excludeUnverified) {
        return onCurrent(current, excludeUnverified, SOURCE);
    }

    /** The query on the current days' compact documents of one kind ({@link #SOURCE}, {@link #REPORTER_SOURCE}). */
    static ObjectNode onCurrent(Map<LocalDate, String> current, boolean excludeUnverified, String kind) {
        ObjectNode query = JsonNodes.object();
        ArrayNode f = query.putObject("bool").putArray("filter");
        f.addObject().putObject("term").put("kind", kind);
        ArrayNode dayGens = f.addObject().putObject("terms").putArray("day_gen");
        current.values().stream().sorted().forEach(dayGens::add);
        if (excludeUnverified) {
            f.addObject().putObject("term").put("unverified", false);
        }
        return query;
    }

    /** Leaves the current days out of a query on the per-report rollups (they are read from the compact ones). */
    static void leaveOut(ObjectNode bool, Map<LocalDate, String> current) {
        if (!current.isEmpty()) {
            ArrayNode days = bool.withArray("must_not").addObject().putObject("terms").putArray(DAY);
            current.keySet().stream().sorted().forEach(d -> days.add(d.toString()));
        }
    }

    /** Whether some day of the filter's range is not current (so the per-report rollups are read too). */
    static boolean someStale(io.dmarclens.store.query.ReportFilter filter, Map<LocalDate, String> current) {
        return current.isEmpty() || current.size() < filter.to().toEpochDay() - filter.from().toEpochDay() + 1;
    }

    private void computeQuiet() {
        try {
            synchronized (dirty) {
                long now = System.nanoTime();
                if (dirty.isEmpty() || now - lastTouch < TimeUnit.MILLISECONDS.toNanos(quietMillis)
                        && now - firstTouch < TimeUnit.MILLISECONDS.toNanos(maxWaitMillis)) {
                    return;
                }
            }
            computeDirty();
        } catch (RuntimeException e) {
            LOG.debug("compact rollup not computed yet", e);
        }
    }

    /**
     * Computes every day touched so far; a day that cannot be computed now stays dirty. One run at a time in a
     * store (the worker's and a caller's), so that a run returns only when what was dirty at its call is done.
     */
    synchronized void computeDirty() {
        List<LocalDate> days;
        synchronized (dirty) {
            days = new ArrayList<>(dirty);
            dirty.clear();
        }
        List<LocalDate> again = new ArrayList<>();
        try {
            for (LocalDate d : days) {
                if (!compute(d)) {
                    again.add(d);
                }
            }
        } catch (RuntimeException e) {
            again.addAll(days);
            throw e;
        } finally {
            synchronized (dirty) {
                if (dirty.isEmpty()) {
                    firstTouch = System.nanoTime();
                }
                dirty.addAll(again);
            }
        }
    }

    /**
     * Brings one day's compact documents current.
     *
     * @return false when the day changed meanwhile, or a copy being written or removed has rollups on it (try
     *         later)
     */
    boolean compute(LocalDate day) {
        Cluster.Reply r = cluster.send("GET", "/" + names.of(Family.COMPACT) + "/_doc/" + stateId(day), null, null);
        if (r.status() == 404 || r.ok() && !r.body().path("found").asBoolean()) {
            return true; // never touched: nothing to compute
        }
        if (!r.ok()) {
            throw cluster.refused("reading the compact rollup's state", r);
        }
        JsonNode state = r.body();
        long gen = state.path("_source").path("gen").asLong();
        if (gen == state.path("_source").path("computed").asLong()) {
            return true;
        }
        Set<Long> hidden = visibility.hidden();
        if (!hidden.isEmpty()) {
            ObjectNode q = JsonNodes.object();
            ArrayNode f = q.putObject("bool").putArray("filter");
            f.addObject().putObject("term").put(DAY, day.toString());
            ArrayNode refs = f.addObject().putObject("terms").putArray("report_ref");
            hidden.forEach(refs::add);
            if (reads.count(Family.ROLLUPS, q) > 0) {
                return false;
            }
        }
        String dayGen = dayGen(day, gen);
        List<Object> lines = new ArrayList<>();
        ObjectNode query = JsonNodes.object();
        query.putObject("bool").putArray("filter").addObject().putObject("term").put(DAY, day.toString());
        ArrayNode sources = JsonNodes.object().arrayNode()
                .add(Reads.termsSource("ip", Rollup.SOURCE_IP))
                .add(Reads.termsSource("u", "unverified"));
        ObjectNode metrics = JsonNodes.object();
        TotalsAggs.add(metrics); // what totals and series sum, compliant ... threat among them
        Reads.sumOf(metrics, CLASS_FIELDS.get(0), "messages", Rollup.is("classification", ""));
        ObjectNode forwarded = Rollup.is("classification", "forwarded");
        ObjectNode fwdDkim = JsonNodes.object();
        fwdDkim.putObject("bool").putArray("filter").add(forwarded).add(Rollup.is("dkim_aligned", true));
        Reads.sumOf(metrics, FWD_DKIM, "messages", fwdDkim);
        ObjectNode reasons = metrics.putObject(FWD_REASONS);
        reasons.set("filter", forwarded);
        ObjectNode byReason = reasons.putObject("aggs").putObject("r");
        byReason.putObject("terms").put("field", "reason_types").put("size", REASON_TYPES_MAX);
        byReason.putObject("aggs").putObject("s").putObject("sum").put("field", "messages");
        List<RuntimeException> failed = new ArrayList<>();
        // Not through the request cache: a day's sums are asked once per generation, and storing each answer there
        // (serialised, per bucket and sum) cost the node more than the aggregation itself and evicted dashboard ones.
        reads.compositeUncached(Family.ROLLUPS, query, sources, metrics, b -> {
            String ip = b.path("key").path("ip").asText();
            boolean unverified = b.path("key").path("u").asBoolean() || "true".equals(b.path("key").path("u").asText());
            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", names.of(Family.COMPACT))
                    .put("_id", DocIds.hex("compact", day, ip, unverified))
                    .put("version_type", "external").put("version", gen);
            lines.add(action);
            ObjectNode doc = JsonNodes.object();
            doc.put("kind", SOURCE).put(DAY, day.toString()).put("gen", gen).put("day_gen", dayGen)
                    .put("source_ip", ip).put("unverified", unverified);
            long[] figures = TotalsAggs.values(TotalsAggs.read(b));
            for (int k = 0; k < figures.length; k++) {
                doc.put(TotalsAggs.COMPACT_FIELDS[k], figures[k]);
            }
            doc.put(CLASS_FIELDS.get(0), Reads.sum(b, CLASS_FIELDS.get(0)));
            doc.put(FWD_DKIM, Reads.sum(b, FWD_DKIM));
            ArrayNode fwdReasons = doc.putArray(FWD_REASONS);
            for (JsonNode reason : b.path(FWD_REASONS).path("r").path("buckets")) {
                if (Reads.sum(reason, "s") > 0) {
                    fwdReasons.add(reason.path("key").asText());
                }
            }
            lines.add(doc);
            if (lines.size() >= 2_000) {
                send(lines, failed);
            }
        });
        send(lines, failed);
        Day pass = new Day(day, gen, dayGen, query, lines, failed);
        if (failed.isEmpty()) {
            perReporter(pass);
        }
        if (failed.isEmpty()) {
            perDomain(pass);
        }
        if (!failed.isEmpty()) {
            throw failed.get(0);
        }
        cluster.ok("POST", "/" + names.of(Family.COMPACT) + "/_refresh", Map.of(), null);
        ObjectNode done = JsonNodes.object();
        done.put("kind", DAY).put(DAY, day.toString()).put("gen", gen).put("computed", gen);
        Cluster.Reply cas = cluster.send("PUT", "/" + names.of(Family.COMPACT) + "/_doc/" + stateId(day),
                Map.of("if_seq_no", state.path("_seq_no").asText(), "if_primary_term", state.path("_primary_term").asText()),
                done);
        if (cas.status() == 409) {
            return false;
        }
        if (!cas.ok()) {
            throw cluster.refused("marking the compact rollup current", cas);
        }
        // Documents of older generations are never read again (readers name the generation); away with them.
        ObjectNode old = JsonNodes.object();
        ArrayNode f = old.putObject("query").putObject("bool").putArray("filter");
        f.addObject().putObject("terms").putArray("kind").add(SOURCE).add(REPORTER_SOURCE).add(DOMAIN);
        f.addObject().putObject("term").put(DAY, day.toString());
        f.addObject().putObject("range").putObject("gen").put("lt", gen);
        cluster.send("POST", "/" + names.of(Family.COMPACT) + "/_delete_by_query", Map.of("conflicts", "proceed"), old);
        return true;
    }

    /**
     * Writes the day's {@link #REPORTER_SOURCE} documents: the source lists' sums per reporter, source and verdict,
     * from the same visible rollups (read after the same hidden-copies check) as the per-source ones.
     */
    private void perReporter(Day d) {
        ObjectNode metrics = JsonNodes.object();
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "dmarc_pass", "messages", Rollup.is("dmarc_pass", true));
        Reads.sumOf(metrics, "spf_aligned", "messages", Rollup.is("spf_aligned", true));
        Reads.sumOf(metrics, "dkim_aligned", "messages", Rollup.is("dkim_aligned", true));
        for (int k = 0; k < CLASS_FIELDS.size(); k++) {
            Reads.sumOf(metrics, CLASS_FIELDS.get(k), "messages",
                    Rollup.is("classification", SourceTotals.CLASSIFICATIONS.get(k)));
        }
        writeKind(d, REPORTER_SOURCE, "compact-reporter", List.of("reporter", Rollup.SOURCE_IP), metrics, LIST_FIELDS);
    }

    /**
     * The policy impact's sums of messages failing DMARC, each filtered as {@link #IMPACT_FIELDS} names them, into
     * {@code metrics} (the per-report rollups' fields): the same sums whether a day is read from its compact
     * documents or its rollups.
     */
    static void impactSums(ObjectNode metrics) {
        ObjectNode failing = Rollup.is("dmarc_pass", false);
        Reads.sumOf(metrics, "messages", "messages", null);
        Reads.sumOf(metrics, "failing", "messages", failing);
        Reads.sumOf(metrics, "failing_forwarded", "messages", Rollup.both(failing, Rollup.is("classification", "forwarded")));
        Reads.sumOf(metrics, "failing_misconfigured", "messages",
                Rollup.both(failing, Rollup.is("classification", "misconfigured")));
        Reads.sumOf(metrics, "failing_threat", "messages", Rollup.both(failing, Rollup.is("classification", "threat")));
        Reads.sumOf(metrics, "failing_quarantine", "messages",
                Rollup.both(failing, Rollup.is("disposition", "quarantine")));
        Reads.sumOf(metrics, "failing_reject", "messages", Rollup.both(failing, Rollup.is("disposition", "reject")));
    }

    /** Writes the day's {@link #DOMAIN} documents, from the same visible rollups as the per-source ones. */
    private void perDomain(Day d) {
        ObjectNode metrics = JsonNodes.object();
        impactSums(metrics);
        writeKind(d, DOMAIN, "compact-domain", List.of("policy_domain"), metrics, IMPACT_FIELDS);
    }

    /** A day's computation under way: the state it read, and what is still to be sent or went wrong. */
    private record Day(LocalDate day, long gen, String dayGen, ObjectNode query, List<Object> lines,
                       List<RuntimeException> failed) {
    }

    /**
     * Writes one kind of the day's compact documents: one per bucket of a composite aggregation of the day's
     * rollups by {@code keys} (rollup fields, which the documents keep under the same names) and the verdict, with
     * the sums {@code fields} of {@code metrics}; ids from the kind's {@code idKind}, the day, the keys and the
     * verdict.
     */
    private void writeKind(Day d, String kind, String idKind, List<String> keys, ObjectNode metrics,
                           List<String> fields) {
        ArrayNode sources = JsonNodes.object().arrayNode();
        keys.forEach(k -> sources.add(Reads.termsSource(k, k)));
        sources.add(Reads.termsSource("u", "unverified"));
        // Asked once per generation, as the per-source pass: not through the request cache.
        reads.compositeUncached(Family.ROLLUPS, d.query(), sources, metrics, b -> {
            JsonNode key = b.path("key");
            boolean unverified = key.path("u").asBoolean() || "true".equals(key.path("u").asText());
            Object[] idParts = new Object[keys.size() + 2];
            idParts[0] = d.day();
            for (int i = 0; i < keys.size(); i++) {
                idParts[i + 1] = key.path(keys.get(i)).asText();
            }
            idParts[keys.size() + 1] = unverified;
            ObjectNode action = JsonNodes.object();
            action.putObject("index").put("_index", names.of(Family.COMPACT))
                    .put("_id", DocIds.hex(idKind, idParts))
                    .put("version_type", "external").put("version", d.gen());
            d.lines().add(action);
            ObjectNode doc = JsonNodes.object();
            doc.put("kind", kind).put(DAY, d.day().toString()).put("gen", d.gen()).put("day_gen", d.dayGen());
            keys.forEach(k -> doc.put(k, key.path(k).asText()));
            doc.put("unverified", unverified);
            for (String field : fields) {
                doc.put(field, Reads.sum(b, field));
            }
            d.lines().add(doc);
            if (d.lines().size() >= 2_000) {
                send(d.lines(), d.failed());
            }
        });
        send(d.lines(), d.failed());
    }

    /** Sends compact documents; a conflict is a document of this or a newer generation already there. */
    private void send(List<Object> lines, List<RuntimeException> failed) {
        if (lines.isEmpty()) {
            return;
        }
        // Each item's status and error only: the documents' names and versions are not read.
        JsonNode reply = cluster.bulkReply(lines, null, "errors,items.*.error,items.*.status");
        lines.clear();
        if (reply.path("errors").asBoolean(false)) {
            for (JsonNode item : reply.path("items")) {
                JsonNode result = item.elements().next();
                if (result.has("error") && result.path("status").asInt() != 409) {
                    failed.add(cluster.refused("writing the compact rollup",
                            new Cluster.Reply(result.path("status").asInt(), result)));
                    return;
                }
            }
        }
    }

    static String stateId(LocalDate day) {
        return "day:" + day;
    }

    static String dayGen(LocalDate day, long gen) {
        return day + "/" + gen;
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            computeDirty();
        } catch (RuntimeException e) {
            LOG.warn("closing the OpenSearch store: the compact rollup of some days is not computed yet (read from"
                    + " the per-report rollups until it is): {}", e.getMessage());
        }
    }
}
