package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.dmarclens.store.search.SearchField;
import io.dmarclens.store.search.SearchQuery;
import io.dmarclens.store.search.SearchQueryParser;
import org.junit.jupiter.api.Test;

/**
 * The Query DSL of each kind of query node (what the search contract then checks against a real node):
 * lower-casing as Lucene's analyzer does, CIDR blocks with their host bits cleared, Lucene's boolean rules.
 */
class SearchTranslatorTest {
    private final SearchTranslator translator = new SearchTranslator();

    private JsonNode dsl(String query) throws Exception {
        return translator.query(SearchQueryParser.parse(query));
    }

    @Test
    void keywordValuesAreLowerCasedTextValuesAreWords() throws Exception {
        assertEquals("example.com", dsl("from:Example.COM").path("term").path("search.from").path("value").asText());
        JsonNode match = dsl("reporter:\"Google Inc\"~2").path("match_phrase").path("search.reporter");
        assertEquals("Google Inc", match.path("query").asText());
        assertEquals(2, match.path("slop").asInt());
        assertEquals("and", dsl("sender:Amazon.SES").path("match").path("search.sender").path("operator").asText());
        // Between wildcards lower case; an escaped character stays as typed, as Lucene's parser leaves it.
        assertEquals("*.google\\.com\\X", dsl("ptr:*.GOOGLE\\.COM\\X").path("wildcard").path("search.ptr").path("value").asText());
    }

    @Test
    void addressesAndDays() throws Exception {
        assertEquals("203.0.113.0/24", dsl("ip:203.0.113.77/24").path("term").path("search.ip").path("value").asText());
        assertEquals("2001:db8:0:0:0:0:0:66", dsl("ip:2001:db8::66").path("term").path("search.ip").path("value").asText());
        JsonNode days = dsl("date:[2024-05-01 TO 2024-05-02]").path("range").path("search.date");
        assertEquals(1_714_521_600L, days.path("gte").asLong());
        assertEquals(1_714_694_399L, days.path("lte").asLong());
        assertEquals("epoch_second", days.path("format").asText());
        assertEmptyObject(dsl("ip:[9.9.9.9 TO 1.1.1.1]").path("match_none"));
    }

    @Test
    void lucenesBooleanRules() throws Exception {
        assertEmptyObject(dsl("-dkim:fail").path("match_none"));
        JsonNode mixed = dsl("a OR b c").path("bool");
        assertEquals(2, mixed.path("should").size());
        assertEquals(1, mixed.path("must").size());
        assertEquals(0, mixed.path("minimum_should_match").asInt());
        assertEquals(1, dsl("class:threat OR class:forwarded").path("bool").path("minimum_should_match").asInt());
        // A text value with no word drops out of its group; a group left with one clause stands for it.
        assertEquals("record", dsl("kind:record reporter:@@@").path("term").path("search.kind").path("value").asText());
        assertNull(translator.translate(new SearchQuery.Term(SearchField.REPORTER, "@@@")));
        assertEmptyObject(dsl("reporter:@@@").path("match_none"));
    }

    private static void assertEmptyObject(JsonNode n) {
        assertEquals(true, n.isObject() && n.isEmpty(), "an empty object: " + n);
    }
}
