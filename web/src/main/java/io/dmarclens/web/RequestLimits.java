package io.dmarclens.web;

import java.time.Duration;

/**
 * How slowly a client may send to the dashboard before Jetty cuts it off: a request body must arrive at
 * {@code minDataRate} bytes a second on average (from its first byte), and a connection on which nothing
 * moves for {@code idleTimeout} is closed. Without them a client trickling a POST body holds a server
 * thread for as long as it likes.
 *
 * @param minDataRate bytes per second a request body must arrive at, at least; 0 for no minimum
 * @param idleTimeout how long a connection may stay silent (between requests, or within one)
 */
public record RequestLimits(long minDataRate, Duration idleTimeout) {
    public RequestLimits {
        if (minDataRate < 0) {
            throw new IllegalArgumentException("the minimum request data rate must not be negative, not " + minDataRate);
        }
        if (idleTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("the idle timeout must be positive, not " + idleTimeout);
        }
    }

    /**
     * 4 KiB a second, 30 seconds idle. A browser's upload arrives hundreds of times faster; at the minimum
     * the largest upload (64 MiB) still ends within about 4.5 hours, and a form post within seconds.
     */
    public static RequestLimits defaults() {
        return new RequestLimits(4096, Duration.ofSeconds(30));
    }
}
