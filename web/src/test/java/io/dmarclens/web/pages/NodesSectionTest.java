package io.dmarclens.web.pages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.cluster.NodeRole;
import io.dmarclens.store.cluster.NodeStatus;
import io.dmarclens.web.IngestConsole;
import io.dmarclens.web.html.Html;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Ingest page's node list: every node with its heartbeat, stale ones marked, names escaped. */
class NodesSectionTest {
    private static final Instant NOW = Instant.parse("2026-03-02T06:00:00Z");

    private static String render(IngestConsole.NodeView view) {
        Html h = new Html();
        NodesSection.render(h, view);
        return h.toString();
    }

    @Test
    void staleNodesAreMarkedAndTheirLeasesListed() {
        NodeStatus live = new NodeStatus("mx1", EnumSet.of(NodeRole.SMTP, NodeRole.INBOX), "0.1.0", NOW.minusSeconds(600),
                NOW.minusSeconds(4), 3, List.of("imap:reports", "jobs"));
        NodeStatus gone = new NodeStatus("mx2<script>", EnumSet.allOf(NodeRole.class), "0.1.0", NOW.minusSeconds(600),
                NOW.minusSeconds(16), 7, List.of());
        String html = render(new IngestConsole.NodeView(List.of(live, gone), NOW, Duration.ofSeconds(15), "mx1"));
        assertTrue(html.contains("data-node=\"mx1\" data-stale=\"false\""), html);
        assertTrue(html.contains("mx1 (this node)"), html);
        assertTrue(html.contains("imap:reports, jobs"), html);
        assertTrue(html.contains("smtp, inbox"), "roles in their order: " + html);
        assertTrue(html.contains("data-stale=\"true\""), html);
        assertTrue(html.contains("16 s ago"), html);
        assertEquals(1, html.split("data-badge=\"stale\"", -1).length - 1, "one node marked stale: " + html);
        assertFalse(html.contains("<script>"), "a node name is escaped: " + html);
    }

    @Test
    void withoutARegistryThePageHasNoNodeList() {
        assertEquals("", render(IngestConsole.NodeView.NONE));
    }
}
