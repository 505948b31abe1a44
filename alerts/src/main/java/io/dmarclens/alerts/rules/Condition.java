package io.dmarclens.alerts.rules;

import io.dmarclens.store.alerts.Notice.DashboardLink;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a rule found: everything an alert says. Texts are plain (the notice escapes them for HTML).
 *
 * @param headline  a few words for the subject, e.g. {@code 4 new sources failing DMARC}
 * @param what      what happened, one or two sentences
 * @param since     when it began
 * @param amount    how much, as a number in the rule's unit (messages, sources, points, days)
 * @param howMuch   how much, in words
 * @param todo      what to do
 * @param links     links into the dashboard filtered to exactly the evidence
 * @param details   the evidence, one line each (shown in texts)
 * @param evidence  the evidence as values (the payload's {@code evidence} object); insertion order kept
 */
public record Condition(String headline, String what, Instant since, long amount, String howMuch, String todo,
                        List<DashboardLink> links, List<String> details, Map<String, Object> evidence) {
    public Condition {
        Objects.requireNonNull(headline, "headline");
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(howMuch, "howMuch");
        Objects.requireNonNull(todo, "todo");
        links = List.copyOf(links);
        details = List.copyOf(details);
        evidence = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evidence));
    }
}
