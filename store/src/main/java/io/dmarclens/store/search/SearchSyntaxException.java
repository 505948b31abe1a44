package io.dmarclens.store.search;

/**
 * A search query could not be read. The message says what is wrong in words a user can act on, e.g.
 * {@code unknown field 'sorce' (known fields: ip, from, ...)} or
 * {@code '203.0.113.0/33' is not an IP address or CIDR range}.
 */
public class SearchSyntaxException extends Exception {
    private final String query;

    public SearchSyntaxException(String query, String message) {
        super(message);
        this.query = query;
    }

    /** The query as the user typed it. */
    public String query() {
        return query;
    }
}
