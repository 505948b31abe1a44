package io.dmarclens.parser.container;

import io.dmarclens.parser.Bounded;
import io.dmarclens.parser.LimitExceededException;
import io.dmarclens.parser.ReportParseException;
import io.dmarclens.parser.ReportSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What became of the parts of one container (zip members, mail parts): which failed and why, and which
 * held no report at all. Failures are only reported once the whole container is read, because only then
 * is it known whether the container gave any report: if it did, each bad part goes to
 * {@code unreadable(...)} and the good ones stand; if not, the container itself fails with the reasons.
 */
final class PartOutcomes {
    private record Failure(String name, ReportParseException error) {
    }

    private final ReportSource container;
    private final DeliveryCounter out;
    private final int reportsBefore;
    private final List<Failure> failures = new ArrayList<>();
    private final List<String> others = new ArrayList<>();

    PartOutcomes(ReportSource container, DeliveryCounter out) {
        this.container = container;
        this.out = out;
        this.reportsBefore = out.reports();
    }

    void failed(String name, ReportParseException error) {
        failures.add(new Failure(name, error));
    }

    /** A part that is no report and was not meant to be one (a text part, a logo, a readme). */
    void notAReport(String description) {
        others.add(description);
    }

    boolean gaveReports() {
        return out.reports() > reportsBefore;
    }

    boolean hasFailures() {
        return !failures.isEmpty();
    }

    List<String> others() {
        return others;
    }

    /**
     * Settles the container when it gave a report or some part failed; returns false when nothing in it
     * was even meant to be a report, so the caller can say so in its own words.
     */
    boolean settle(String containerName) throws ReportParseException {
        if (gaveReports()) {
            for (Failure f : failures) {
                out.unreadable(f.error().source() == null ? container.child(f.name()) : f.error().source(),
                        f.error().getMessage());
            }
            return true;
        }
        if (failures.isEmpty()) {
            return false;
        }
        if (failures.size() == 1) {
            throw failures.get(0).error();
        }
        // One reason per part, joined, grows with the part count: list a few and count the rest.
        // A cap that was hit comes first: it says why the rest was not even read.
        String reasons = Bounded.join(failures.stream()
                .sorted(Comparator.comparing(f -> !(f.error() instanceof LimitExceededException)))
                .map(f -> f.name() + ": " + f.error().getMessage()).toList(), "; ");
        String message = containerName + " holds no readable report: " + reasons;
        if (failures.stream().allMatch(f -> f.error() instanceof LimitExceededException)) {
            throw new LimitExceededException(container, message);
        }
        throw new ReportParseException(container, message);
    }
}
