package io.dmarclens.alerts.state;

import io.dmarclens.alerts.AlertSettings;
import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.alerts.rules.Condition;
import io.dmarclens.alerts.rules.RuleContext;
import io.dmarclens.alerts.rules.RuleMemory;
import io.dmarclens.store.CommitListener;
import io.dmarclens.store.Store;
import io.dmarclens.store.StoreCommit;
import io.dmarclens.store.StoreException;
import io.dmarclens.store.alerts.Alert;
import io.dmarclens.store.alerts.AlertFinding;
import io.dmarclens.store.alerts.AlertLog;
import io.dmarclens.store.alerts.AlertQuery;
import io.dmarclens.store.alerts.AlertState;
import io.dmarclens.store.query.PolicyImpact;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates the rules and keeps the alerts: after each commit of reports (for the committed domains, the
 * rules that look at reports) and on the schedule (every rule, every known domain). A condition found with
 * no unresolved alert of its rule and domain raises one (unless the rule's cooldown since the last one
 * resolved has not passed) and queues its notice; found again, it updates the same alert (no new notice);
 * gone at a scheduled evaluation, the alert resolves and says so once. Evaluations run one at a time.
 *
 * <p>{@link #start} runs them on a thread of their own (the commit listener only hands the domains over, the
 * committing thread never waits); without it, {@link #commitListener()} evaluates on the committing thread,
 * which tests use to walk through days deterministically.
 */
public final class AlertEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEngine.class);

    private final Store store;
    private final AlertLog log;
    private final List<AlertRule> rules;
    private final AlertSettings settings;
    private final boolean excludeUnverified;
    private final Clock clock;
    private final NoticeWriter notices = new NoticeWriter();
    private final Set<String> pending = new TreeSet<>();
    private volatile ScheduledExecutorService executor;

    /**
     * @param excludeUnverified leave reports of unverified origin out, as the dashboard's figures do
     */
    public AlertEngine(Store store, AlertLog log, List<AlertRule> rules, AlertSettings settings,
                       boolean excludeUnverified, Clock clock) {
        this.store = store;
        this.log = log;
        this.rules = List.copyOf(rules);
        this.settings = settings;
        this.excludeUnverified = excludeUnverified;
        this.clock = clock;
    }

    /** The rules in force. */
    public List<AlertRule> rules() {
        return rules;
    }

    public AlertSettings settings() {
        return settings;
    }

    /** The rule with this id, if it is in force. */
    public Optional<AlertRule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** What one evaluation changed. */
    public record Change(Kind kind, Alert alert) {
        public enum Kind { RAISED, UPDATED, RESOLVED, HELD_BACK }
    }

    /** Hand this to {@link Store#addCommitListener}. */
    public CommitListener commitListener() {
        return this::committed;
    }

    private void committed(StoreCommit commit) {
        if (!settings.enabled() || commit.isEmpty() || commit.policyDomains().isEmpty()) {
            return;
        }
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            evaluate(commit.policyDomains(), false);
            return;
        }
        synchronized (pending) {
            boolean idle = pending.isEmpty();
            pending.addAll(commit.policyDomains());
            if (!idle) {
                return; // a drain is queued already and will take these too
            }
        }
        ex.execute(this::drain);
    }

    private void drain() {
        List<String> domains;
        synchronized (pending) {
            domains = new ArrayList<>(pending);
            pending.clear();
        }
        try {
            evaluate(domains, false);
        } catch (RuntimeException e) {
            LOG.warn("Alert rules could not be evaluated after a commit: {}", e.getMessage());
            LOG.debug("Alert evaluation failed", e);
        }
    }

    /** Starts the schedule (every {@code alerts.evaluate_every}) and moves commit evaluations to its thread. */
    public AlertEngine start() {
        return start(io.dmarclens.store.cluster.Duty.always());
    }

    /**
     * As {@link #start()}, the scheduled evaluations only while {@code onDuty} (in a cluster: the node holding the
     * jobs' lease), so that the schedule runs once per cluster; evaluations after a commit run where it committed.
     */
    public synchronized AlertEngine start(io.dmarclens.store.cluster.Duty onDuty) {
        if (!settings.enabled() || executor != null) {
            return this;
        }
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "alerts");
            t.setDaemon(true);
            return t;
        });
        ex.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        long every = settings.evaluateEvery().toMillis();
        ex.scheduleWithFixedDelay(() -> {
            if (!onDuty.held()) {
                return;
            }
            try {
                evaluateAll();
            } catch (RuntimeException e) {
                LOG.warn("Scheduled alert evaluation failed: {}", e.getMessage());
                LOG.debug("Scheduled alert evaluation failed", e);
            }
        }, Math.min(every, 60_000), every, TimeUnit.MILLISECONDS);
        executor = ex;
        return this;
    }

    /** Every rule for every domain with reports in the windows compared, and every domain with an unresolved alert. */
    public List<Change> evaluateAll() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Set<String> domains = new TreeSet<>();
        store.domains().policyImpact(new io.dmarclens.store.query.ReportFilter(
                        today.minusDays(settings.windowDays() + settings.baselineDays() + 60L), today, Set.of(), Set.of()))
                .stream().map(PolicyImpact::domain).forEach(domains::add);
        log.alerts(new AlertQuery(Set.of(AlertState.OPEN, AlertState.ACKNOWLEDGED), null, null, 0, 1000))
                .forEach(a -> domains.add(a.domain()));
        domains.remove(AlertLog.ALL_DOMAINS);
        return evaluate(domains, true);
    }

    /**
     * Evaluates the rules for these domains now: after a commit only the rules that look at reports, on the
     * schedule all of them (and the rules about DMARC Lens itself once).
     */
    public synchronized List<Change> evaluate(Collection<String> domains, boolean scheduled) {
        if (!settings.enabled()) {
            return List.of();
        }
        Instant now = clock.instant();
        RuleContext context = new RuleContext(store, now, settings.windowDays(), settings.baselineDays(),
                settings.minHistoryDays(), excludeUnverified, memory(now));
        List<Change> changes = new ArrayList<>();
        for (AlertRule rule : rules) {
            if (!scheduled && !rule.afterCommits()) {
                continue;
            }
            if (rule.scope() == AlertRule.Scope.SERVICE) {
                if (scheduled) {
                    apply(rule, AlertLog.ALL_DOMAINS, context, scheduled, changes);
                }
                continue;
            }
            for (String domain : new TreeSet<>(domains)) {
                apply(rule, domain, context, scheduled, changes);
            }
        }
        for (Change c : changes) {
            // raised and resolved once each; updates and held-back conditions repeat every evaluation
            if (c.kind() == Change.Kind.RAISED || c.kind() == Change.Kind.RESOLVED) {
                LOG.info("Alert {} {}: {} {} \u2014 {}", c.alert().id(), c.kind().name().toLowerCase(java.util.Locale.ROOT),
                        c.alert().rule(), c.alert().domain(), c.alert().summary());
            } else {
                LOG.debug("Alert {} {}: {} {}", c.alert().id(), c.kind(), c.alert().rule(), c.alert().domain());
            }
        }
        return changes;
    }

    private void apply(AlertRule rule, String domain, RuleContext context, boolean scheduled, List<Change> changes) {
        Optional<Condition> found;
        try {
            found = rule.check(domain, context);
        } catch (StoreException e) {
            // The store cannot answer now: nothing is known, so nothing is raised nor resolved.
            LOG.warn("Alert rule {} for {} could not be checked: {}", rule.id(), domain, e.getMessage());
            return;
        }
        Instant now = context.now();
        Optional<Alert> open = log.unresolved(rule.id(), domain);
        if (found.isPresent()) {
            Condition c = found.get();
            AlertFinding finding = new AlertFinding(rule.id(), domain, c.since(), c.headline(), c.amount(),
                    notices.evidence(c));
            if (open.isPresent()) {
                changes.add(new Change(Change.Kind.UPDATED, log.update(open.get().id(), finding, now)));
                return;
            }
            Optional<Alert> last = log.latest(rule.id(), domain);
            if (last.isPresent() && last.get().resolvedAt() != null
                    && last.get().resolvedAt().plus(rule.cooldown()).isAfter(now)) {
                changes.add(new Change(Change.Kind.HELD_BACK, last.get()));
                return;
            }
            try {
                changes.add(new Change(Change.Kind.RAISED, log.raise(finding,
                        id -> notices.opened(rule, domain, c, id, now), now)));
            } catch (IllegalStateException raisedElsewhere) {
                // Another node of the cluster raised it between our look and our raise: the alert exists once.
                LOG.debug("Alert {} {} was raised by another node", rule.id(), domain);
            }
        } else if (open.isPresent() && scheduled) {
            // Only the schedule resolves: a commit may hold part of a day's reports (a run of the inbox, one TLS
            // report), and an alert that resolved on half the evidence would open again with the rest.
            log.resolve(open.get().id(), notices.resolved(rule, open.get(), now), now)
                    .ifPresent(a -> changes.add(new Change(Change.Kind.RESOLVED, a)));
        }
    }

    private RuleMemory memory(Instant now) {
        return new RuleMemory() {
            @Override
            public Optional<String> get(String key) {
                return log.ruleState(key);
            }

            @Override
            public void put(String key, String value) {
                log.saveRuleState(key, value, now);
            }
        };
    }

    /** Stops the schedule; an evaluation under way finishes. */
    @Override
    public void close() {
        ScheduledExecutorService ex = executor;
        executor = null;
        if (ex != null) {
            ex.shutdown();
            try {
                ex.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
