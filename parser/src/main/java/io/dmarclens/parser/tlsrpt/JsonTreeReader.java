package io.dmarclens.parser.tlsrpt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dmarclens.parser.ParseWarning;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Builds a JSON tree from a stream under Jackson's {@link StreamReadConstraints} (document size, string
 * length, name length, nesting depth, number length), and says which member was repeated instead of
 * letting the last one win silently, as a plain {@code readTree} would.
 */
final class JsonTreeReader {
    private final JsonFactory factory;

    JsonTreeReader(long maxDocumentBytes, int maxStringLength, int maxDepth) {
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(maxDocumentBytes)
                        .maxStringLength(maxStringLength)
                        .maxNameLength(Math.min(maxStringLength, 50_000))
                        .maxNestingDepth(maxDepth)
                        .maxNumberLength(100)
                        .build())
                .build();
    }

    /** The whole document as a tree; trailing content after the first value is an error. */
    JsonNode read(InputStream in, List<ParseWarning> warnings) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            JsonNode root = readValue(p, first, warnings);
            JsonToken after = p.nextToken();
            if (after != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p,
                        "content after the end of the JSON document (" + after + ")");
            }
            return root;
        }
    }

    /** Iterative, so a deeply nested document fails on the depth cap, never with a StackOverflowError. */
    private JsonNode readValue(JsonParser p, JsonToken token, List<ParseWarning> warnings) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Deque<JsonNode> open = new ArrayDeque<>();
        Deque<String> paths = new ArrayDeque<>();
        JsonNode root = null;
        String pendingName = null;
        for (JsonToken t = token; t != null; t = open.isEmpty() ? null : p.nextToken()) {
            if (t == JsonToken.FIELD_NAME) {
                pendingName = p.currentName();
                continue;
            }
            if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                JsonNode done = open.pop();
                paths.pop();
                if (open.isEmpty()) {
                    return done;
                }
                continue;
            }
            JsonNode value = switch (t) {
                case START_OBJECT -> nodes.objectNode();
                case START_ARRAY -> nodes.arrayNode();
                case VALUE_STRING -> nodes.textNode(p.getText());
                case VALUE_NUMBER_INT -> nodes.numberNode(p.getBigIntegerValue());
                case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
                case VALUE_TRUE -> nodes.booleanNode(true);
                case VALUE_FALSE -> nodes.booleanNode(false);
                case VALUE_NULL -> nodes.nullNode();
                default -> nodes.textNode(p.getText());
            };
            String path;
            if (open.isEmpty()) {
                root = value;
                path = "";
            } else if (open.peek() instanceof ObjectNode obj) {
                path = TlsJson.child(paths.peek(), pendingName);
                if (obj.has(pendingName)) {
                    warnings.add(new ParseWarning(path, "member repeated; the last value is used"));
                }
                obj.set(pendingName, value);
            } else {
                ArrayNode arr = (ArrayNode) open.peek();
                path = paths.peek() + "[" + arr.size() + "]";
                arr.add(value);
            }
            if (value.isContainerNode()) {
                open.push(value);
                paths.push(path);
            } else if (open.isEmpty()) {
                return root;
            }
        }
        return root;
    }
}
