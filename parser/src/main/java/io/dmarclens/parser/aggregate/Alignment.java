package io.dmarclens.parser.aggregate;

/** Identifier alignment mode ({@code adkim}, {@code aspf}): relaxed (organisational domain) or strict (exact). */
public enum Alignment {
    RELAXED("r"), STRICT("s");

    private final String token;

    Alignment(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
