package io.dmarclens.alerts.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.store.alerts.Notice;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The body a web hook receives, in the shape its receiver accepts (docs/alerts.md has examples). */
public enum HookFormat {
    /** The notice's own JSON payload (for scripts and automation). */
    JSON {
        @Override
        String body(Notice n, String dashboardUrl) {
            return n.json();
        }
    },
    /** A Slack incoming webhook: {@code text} with mrkdwn links. */
    SLACK {
        @Override
        String body(Notice n, String dashboardUrl) {
            ObjectNode root = MAPPER.createObjectNode();
            StringBuilder t = new StringBuilder("*").append(slack(n.subject())).append("*\n").append(slack(firstLines(n)));
            n.links().forEach(l -> t.append("\n<").append(dashboardUrl).append(slackUrl(l.path())).append('|')
                    .append(slack(l.label())).append('>'));
            root.put("text", t.toString());
            return write(root);
        }
    },
    /** A Mattermost incoming webhook: {@code text} in Markdown. */
    MATTERMOST {
        @Override
        String body(Notice n, String dashboardUrl) {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("username", "DMARC Lens");
            StringBuilder t = new StringBuilder("#### ").append(markdown(n.subject())).append('\n')
                    .append(markdown(firstLines(n)));
            n.links().forEach(l -> t.append("\n- [").append(markdown(l.label())).append("](").append(dashboardUrl)
                    .append(l.path().replace(")", "%29").replace(" ", "%20")).append(')'));
            root.put("text", t.toString());
            return write(root);
        }
    },
    /**
     * Microsoft Teams (a Workflows "post to a channel when a webhook request is received" flow, and the older
     * connectors): a message with one Adaptive Card.
     */
    TEAMS {
        @Override
        String body(Notice n, String dashboardUrl) {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("type", "message");
            ObjectNode attachment = root.putArray("attachments").addObject();
            attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
            ObjectNode card = attachment.putObject("content");
            card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            card.put("type", "AdaptiveCard");
            card.put("version", "1.4");
            ArrayNode body = card.putArray("body");
            ObjectNode title = body.addObject();
            title.put("type", "TextBlock").put("text", n.subject()).put("weight", "Bolder").put("size", "Medium")
                    .put("wrap", true);
            body.addObject().put("type", "TextBlock").put("text", firstLines(n)).put("wrap", true);
            ArrayNode actions = card.putArray("actions");
            n.links().forEach(l -> actions.addObject().put("type", "Action.OpenUrl").put("title", l.label())
                    .put("url", dashboardUrl + l.path()));
            return write(root);
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Chat messages get the gist; the mail and the dashboard have everything. */
    private static final int CHAT_LINES = 12;

    abstract String body(Notice n, String dashboardUrl);

    private static String firstLines(Notice n) {
        String[] lines = n.text().split("\n");
        StringBuilder b = new StringBuilder();
        int kept = 0;
        for (String line : lines) {
            if (line.startsWith("In the dashboard:")) {
                break;
            }
            if (kept++ >= CHAT_LINES) {
                b.append("\u2026\n");
                break;
            }
            b.append(line).append('\n');
        }
        return b.toString().strip();
    }

    /** Slack's mrkdwn takes &, < and > as control characters. */
    private static String slack(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String slackUrl(String path) {
        return path.replace("|", "%7C").replace(">", "%3E").replace("<", "%3C").replace(" ", "%20");
    }

    /** Markdown control characters in text from reports must not format or link. */
    private static String markdown(String s) {
        return s.replaceAll("([\\\\`*_\\[\\]()#<>|~])", "\\\\$1");
    }

    private static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
