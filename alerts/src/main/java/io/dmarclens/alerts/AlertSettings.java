package io.dmarclens.alerts;

import io.dmarclens.alerts.rules.AlertRule;
import io.dmarclens.alerts.rules.ImapFailing;
import io.dmarclens.alerts.rules.InboxBacklog;
import io.dmarclens.alerts.rules.IngestHealth;
import io.dmarclens.alerts.rules.NewFailingSource;
import io.dmarclens.alerts.rules.PassRateDrop;
import io.dmarclens.alerts.rules.PolicyChanged;
import io.dmarclens.alerts.rules.PostureRegression;
import io.dmarclens.alerts.rules.QuarantineGrowing;
import io.dmarclens.alerts.rules.ReporterSilent;
import io.dmarclens.alerts.rules.SenderBroke;
import io.dmarclens.alerts.rules.SpoofingWave;
import io.dmarclens.alerts.rules.TlsFailuresRising;
import io.dmarclens.posture.PostureService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The alert rules' configuration ({@code alerts.*} keys, docs/configuration.md): the schedule, the windows
 * compared, and each rule's thresholds and cooldown.
 *
 * @param enabled        whether rules are evaluated at all
 * @param evaluateEvery  how often every rule runs on the schedule (rules also run after each commit of reports)
 * @param windowDays     days of the current window, today included (reports of a day arrive the next day)
 * @param baselineDays   days of the baseline before the window
 * @param minHistoryDays days with reports a baseline needs before the rules compare against it
 */
public record AlertSettings(boolean enabled, Duration evaluateEvery, int windowDays, int baselineDays,
                            int minHistoryDays, NewFailingSource.Settings newFailingSource,
                            SenderBroke.Settings senderBroke, PassRateDrop.Settings passRateDrop,
                            SpoofingWave.Settings spoofingWave, ReporterSilent.Settings reporterSilent,
                            PolicyChanged.Settings policyChanged, PostureRegression.Settings postureRegression,
                            TlsFailuresRising.Settings tlsFailures, QuarantineGrowing.Settings quarantineGrowing,
                            InboxBacklog.Settings inboxBacklog, ImapFailing.Settings imapFailing) {
    public AlertSettings {
        if (windowDays < 1 || baselineDays < 1 || minHistoryDays < 0 || minHistoryDays > baselineDays) {
            throw new IllegalArgumentException("alerts: window_days and baseline_days must be at least 1 and"
                    + " min_history_days between 0 and baseline_days");
        }
        if (evaluateEvery.isNegative() || evaluateEvery.isZero()) {
            throw new IllegalArgumentException("alerts.evaluate_every must be positive");
        }
    }

    public static AlertSettings defaults() {
        return new AlertSettings(true, Duration.ofMinutes(15), 2, 14, 7, NewFailingSource.Settings.defaults(),
                SenderBroke.Settings.defaults(), PassRateDrop.Settings.defaults(), SpoofingWave.Settings.defaults(),
                ReporterSilent.Settings.defaults(), PolicyChanged.Settings.defaults(),
                PostureRegression.Settings.defaults(), TlsFailuresRising.Settings.defaults(),
                QuarantineGrowing.Settings.defaults(), InboxBacklog.Settings.defaults(), ImapFailing.Settings.defaults());
    }

    /**
     * The rules in force.
     *
     * @param posture the DNS checks, or null in offline mode (the posture rule is left out)
     * @param ingest  the intake to watch
     */
    public List<AlertRule> rules(PostureService posture, IngestHealth ingest) {
        List<AlertRule> rules = new ArrayList<>(List.of(new NewFailingSource(newFailingSource),
                new SenderBroke(senderBroke), new PassRateDrop(passRateDrop), new SpoofingWave(spoofingWave),
                new ReporterSilent(reporterSilent), new PolicyChanged(policyChanged), new TlsFailuresRising(tlsFailures)));
        if (posture != null && !posture.offline()) {
            rules.add(new PostureRegression(postureRegression, posture));
        }
        rules.add(new QuarantineGrowing(quarantineGrowing, ingest));
        rules.add(new InboxBacklog(inboxBacklog, ingest));
        rules.add(new ImapFailing(imapFailing, ingest));
        return List.copyOf(rules);
    }
}
