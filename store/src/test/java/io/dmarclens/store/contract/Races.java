package io.dmarclens.store.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Races for the contract tests: {@code n} threads that wait for each other and then run one task at once, as
 * several nodes (or handles on one store) meeting at the same moment.
 */
public final class Races {
    /** How long each racer may take before the race counts as hung. */
    private static final long TIMEOUT_SECONDS = 60;

    private Races() {
    }

    /** One racer's part; {@code i} is its number, 0 to n-1. */
    @FunctionalInterface
    public interface Racer<T> {
        /** Runs racer {@code i}. */
        T run(int i) throws Exception;
    }

    /**
     * Runs {@code racer} on {@code n} threads started together and gives back their results in racer order.
     *
     * @throws java.util.concurrent.ExecutionException when a racer failed (its failure the cause)
     * @throws java.util.concurrent.TimeoutException when a racer did not finish within a minute
     */
    public static <T> List<T> run(int n, Racer<T> racer) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> racing = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int number = i;
                racing.add(pool.submit(() -> {
                    start.await();
                    return racer.run(number);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : racing) {
                results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** How many of {@code n} racers running {@code racer} at once won (answered true). */
    public static int winners(int n, Racer<Boolean> racer) throws Exception {
        return (int) run(n, racer).stream().filter(Boolean::booleanValue).count();
    }
}
