package io.dmarclens.web.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** RFC 6238 appendix B's SHA-1 vectors (last six digits), the window of one step, and each code once. */
class TotpTest {
    private static final byte[] RFC_SECRET = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void codesAreThoseOfRfc6238() {
        long[][] vectors = {{59L, 287082}, {1111111109L, 81804}, {1111111111L, 50471}, {1234567890L, 5924},
                {2000000000L, 279037}, {20000000000L, 353130}};
        for (long[] v : vectors) {
            assertEquals(String.format("%06d", v[1]), Totp.code(RFC_SECRET, v[0] / 30), "T=" + v[0]);
        }
    }

    @Test
    void aCodeIsAcceptedOneStepEitherSideAndNotFurther() {
        Clock at = Clock.fixed(Instant.ofEpochSecond(1111111111L), ZoneOffset.UTC);
        Totp totp = new Totp(at);
        long now = 1111111111L / 30;
        assertEquals(OptionalLong.of(now), totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now), Long.MIN_VALUE));
        assertEquals(OptionalLong.of(now - 1), totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now - 1), Long.MIN_VALUE));
        assertEquals(OptionalLong.of(now + 1), totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now + 1), Long.MIN_VALUE));
        assertTrue(totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now - 2), Long.MIN_VALUE).isEmpty(), "two steps old");
        assertTrue(totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now + 2), Long.MIN_VALUE).isEmpty(), "two steps ahead");
        assertTrue(totp.match(RFC_SECRET, "12345", Long.MIN_VALUE).isEmpty(), "five digits");
        assertTrue(totp.match(RFC_SECRET, "abcdef", Long.MIN_VALUE).isEmpty());
    }

    @Test
    void aCodeOfAStepAlreadyUsedIsRefused() {
        Totp totp = new Totp(Clock.fixed(Instant.ofEpochSecond(1111111111L), ZoneOffset.UTC));
        long now = 1111111111L / 30;
        assertTrue(totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now), now).isEmpty(), "the same step again");
        assertTrue(totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now - 1), now).isEmpty(), "an earlier step");
        assertEquals(OptionalLong.of(now + 1), totp.match(RFC_SECRET, Totp.code(RFC_SECRET, now + 1), now));
    }

    @Test
    void base32RoundTripsAsAuthenticatorAppsReadIt() {
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", Totp.base32(RFC_SECRET), "RFC 4648 of the RFC secret");
        assertArrayEquals(RFC_SECRET, Totp.fromBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"));
    }
}
