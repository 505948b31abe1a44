package io.dmarclens.parser;

import static io.dmarclens.parser.ContainerFixtures.aggregateXml;
import static io.dmarclens.parser.ContainerFixtures.base64Part;
import static io.dmarclens.parser.ContainerFixtures.gzip;
import static io.dmarclens.parser.ContainerFixtures.mixedMail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A mail of tens of thousands of tiny gzip parts that are no reports (issue #14): the parts read are
 * capped by {@link ParserLimits#maxMailParts()}, and the reason stays short however many parts there are,
 * instead of one line per part joined into a reason of tens of megabytes.
 */
class ManyPartsMailTest {
    private static final int PARTS = 20_000;

    private static String[] junkParts(int n) {
        String part = base64Part("application/gzip", null, gzip("not a report\n".getBytes(StandardCharsets.US_ASCII)));
        String[] parts = new String[n];
        java.util.Arrays.fill(parts, part);
        return parts;
    }

    @Test
    void aMailOfManyJunkPartsFailsWithAShortReasonNamingTheCap() {
        byte[] mail = mixedMail("many parts", junkParts(PARTS));
        ReportParser parser = new ReportParser();
        ReportParseException e = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(ReportParseException.class, () -> parser.parseAll("many.eml", mail)));
        String reason = e.getMessage();
        assertTrue(reason.length() <= Bounded.REASON + 100, "reason of " + reason.length() + " characters");
        assertTrue(reason.contains("more than 1,000 mail parts in one input; part 1,001 and the rest were not read"),
                reason);
        assertTrue(reason.contains("gzip stream holds no report"), reason);
        assertTrue(reason.contains("(991 more)"), "the parts not listed are counted: " + reason);
    }

    @Test
    void aReportBeforeTheCapIsReadAndTheUnreadablePartsAreCapped() throws Exception {
        List<String> parts = new ArrayList<>();
        parts.add(base64Part("application/gzip", "report.xml.gz", gzip(aggregateXml("r-1", "example.com", 2))));
        parts.addAll(List.of(junkParts(50)));
        ReportParser parser = new ReportParser(ParserLimits.DEFAULT.withMaxMailParts(20));
        ReportCollector collector = new ReportCollector();
        ParseSummary summary = parser.parse(ReportSource.of("mixed.eml"),
                new java.io.ByteArrayInputStream(mixedMail("mixed", parts.toArray(String[]::new))), collector);
        assertEquals(1, collector.reports().size());
        // 19 junk parts read and failed, then the cap: 20 unreadable entries, not 50.
        assertEquals(20, summary.unreadable().size(), summary.unreadable().toString());
        assertTrue(summary.unreadable().stream()
                .anyMatch(u -> u.reason().contains("more than 20 mail parts in one input")), summary.unreadable().toString());
    }

    @Test
    void boundedTextKeepsTheStartAndCountsTheRest() {
        String cut = Bounded.text("x".repeat(10_000), 100);
        assertTrue(cut.length() <= 100, cut);
        assertTrue(cut.startsWith("xxxx"), cut);
        assertTrue(cut.endsWith("\u2026 (" + String.format(java.util.Locale.ROOT, "%,d", 10_000 - cut.indexOf('\u2026'))
                + " more characters)"), cut);
        assertEquals("short", Bounded.text("short", 100));
        // Never half a surrogate pair at the cut.
        String emoji = "\uD83D\uDE00".repeat(100);
        String cutEmoji = Bounded.text(emoji, 60);
        assertTrue(!Character.isHighSurrogate(cutEmoji.charAt(cutEmoji.indexOf('\u2026') - 1)), cutEmoji);
    }

    @Test
    void boundedJoinListsAFewAndCountsTheRest() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 335_544; i++) {
            items.add("part " + i + ": gzip stream holds no report");
        }
        String joined = Bounded.join(items, "; ");
        assertTrue(joined.length() <= Bounded.REASON, joined);
        assertTrue(joined.startsWith("part 0: gzip stream holds no report; part 1:"), joined);
        assertTrue(joined.endsWith("(335,534 more)"), joined);
        List<String> listed = Bounded.list(items, 5, 10);
        assertEquals(5, listed.size());
        assertEquals("\u2026 (335,540 more)", listed.get(4));
        assertTrue(listed.get(0).length() <= 40, listed.get(0));
    }
}
