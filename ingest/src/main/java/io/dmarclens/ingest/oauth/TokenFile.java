package io.dmarclens.ingest.oauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * A token that an outside tool keeps fresh in a file: read again before every connection, never kept.
 * A refused token is not sent again while the file still holds it.
 */
final class TokenFile implements AccessTokens {
    private final Path file;
    private final Clock clock;
    private volatile String refused;

    TokenFile(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public AccessToken current() throws TokenException {
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new TokenException("the token file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TokenException("cannot read the token file " + file + ": " + e.getMessage(), e);
        }
        if (value.isEmpty()) {
            throw new TokenException("the token file " + file + " is empty");
        }
        if (value.equals(refused)) {
            throw new TokenException("the token in " + file + " was refused by the server; waiting for the file"
                    + " to hold a new one");
        }
        return new AccessToken(value, clock.instant(), null);
    }

    @Override
    public void refused(AccessToken token) {
        refused = token.value();
    }
}
