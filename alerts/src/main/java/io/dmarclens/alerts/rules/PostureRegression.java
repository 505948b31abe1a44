package io.dmarclens.alerts.rules;

import io.dmarclens.posture.Finding;
import io.dmarclens.posture.PostureReport;
import io.dmarclens.posture.PostureService;
import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The daily DNS posture check of a domain has an error it did not have before (record gone, SPF over 10
 * lookups, DKIM key revoked or weak). Off in offline mode. The first check's errors are the known state;
 * an error that was fixed and comes back is new again.
 */
public final class PostureRegression implements AlertRule {
    public static final String ID = "posture-regression";

    /**
     * @param checkEvery how often a domain is checked (DNS is asked dozens of questions each time)
     * @param cooldown   hold-back after a resolution
     */
    public record Settings(Duration checkEvery, Duration cooldown) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(24), Duration.ofHours(12));
        }
    }

    private final Settings settings;
    /** (domain, fresh) to the posture report, or empty when offline. */
    private final BiFunction<String, Boolean, Optional<PostureReport>> posture;

    public PostureRegression(Settings settings, PostureService posture) {
        this(settings, posture::check);
    }

    PostureRegression(Settings settings, BiFunction<String, Boolean, Optional<PostureReport>> posture) {
        this.settings = settings;
        this.posture = posture;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String title() {
        return "DNS posture regression";
    }

    @Override
    public String why() {
        return "An error in what the domain publishes breaks authentication for every message at once: a DMARC record"
                + " gone means no policy and no reports, SPF over 10 lookups fails SPF everywhere, a revoked or weak"
                + " DKIM key fails DKIM.";
    }

    @Override
    public Scope scope() {
        return Scope.DOMAIN;
    }

    @Override
    public boolean afterCommits() {
        return false;
    }

    @Override
    public Duration cooldown() {
        return settings.cooldown();
    }

    @Override
    public List<Threshold> thresholds() {
        return List.of(new Threshold("alerts.posture_regression.check_every", Words.duration(settings.checkEvery()),
                "how often each domain's DNS is checked (not in offline mode)"));
    }

    /** Remembered per domain: when checked, the known errors, the new errors with their messages. */
    private record Memory(Instant checkedAt, TreeSet<String> known, Map<String, String> fresh) {
        String write() {
            StringBuilder b = new StringBuilder().append(checkedAt.toEpochMilli()).append('\n')
                    .append(String.join(" ", known)).append('\n');
            fresh.forEach((code, message) -> b.append(code).append('\t').append(message.replace('\n', ' ')).append('\n'));
            return b.toString();
        }

        static Optional<Memory> read(String s) {
            if (s == null || s.isBlank()) {
                return Optional.empty();
            }
            String[] lines = s.split("\n", -1);
            TreeSet<String> known = new TreeSet<>(Arrays.stream(lines[1].split(" ")).filter(x -> !x.isBlank()).toList());
            Map<String, String> fresh = new LinkedHashMap<>();
            for (int i = 2; i < lines.length; i++) {
                int tab = lines[i].indexOf('\t');
                if (tab > 0) {
                    fresh.put(lines[i].substring(0, tab), lines[i].substring(tab + 1));
                }
            }
            return Optional.of(new Memory(Instant.ofEpochMilli(Long.parseLong(lines[0])), known, fresh));
        }
    }

    @Override
    public Optional<Condition> check(String domain, RuleContext c) {
        String key = ID + "/" + domain;
        Optional<Memory> saved = c.memory().get(key).flatMap(Memory::read);
        Memory m;
        if (saved.isPresent() && saved.get().checkedAt().plus(settings.checkEvery()).isAfter(c.now())) {
            m = saved.get();
        } else {
            Optional<PostureReport> report = posture.apply(domain, true);
            if (report.isEmpty()) {
                return Optional.empty();
            }
            Map<String, String> errors = new LinkedHashMap<>();
            report.get().findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR)
                    .forEach(f -> errors.putIfAbsent(f.code(), f.message()));
            TreeSet<String> known = new TreeSet<>();
            Map<String, String> fresh = new LinkedHashMap<>();
            if (saved.isEmpty()) {
                known.addAll(errors.keySet());
            } else {
                errors.forEach((code, message) -> {
                    if (saved.get().known().contains(code)) {
                        known.add(code);
                    } else {
                        fresh.put(code, message);
                    }
                });
            }
            m = new Memory(c.now(), known, fresh);
            c.memory().put(key, m.write());
        }
        if (m.fresh().isEmpty()) {
            return Optional.empty();
        }
        List<String> details = new ArrayList<>();
        m.fresh().forEach((code, message) -> details.add(code + ": " + message));
        String first = m.fresh().keySet().iterator().next();
        return Optional.of(new Condition("new DNS error " + first + (m.fresh().size() > 1 ? " (and more)" : ""),
                "The DNS check of " + domain + " on " + m.checkedAt() + " found "
                        + Words.plural(m.fresh().size(), "error", "errors") + " it did not find before.",
                m.checkedAt(), m.fresh().size(), Words.plural(m.fresh().size(), "new error", "new errors"),
                "Open the Posture page: it shows the records as published and what each error means; fix the record,"
                        + " then check again.",
                List.of(new DashboardLink("Posture of " + domain, "/posture?domain=" + Links.enc(domain) + "&refresh=1")),
                details, Map.of("errors", new ArrayList<>(m.fresh().keySet()), "checked_at", m.checkedAt().toString())));
    }
}
