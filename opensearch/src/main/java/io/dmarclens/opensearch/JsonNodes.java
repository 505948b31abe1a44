package io.dmarclens.opensearch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Small helpers for the JSON the store builds. */
final class JsonNodes {
    private JsonNodes() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
