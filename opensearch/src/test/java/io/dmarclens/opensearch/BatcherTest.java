package io.dmarclens.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dmarclens.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Writes of several threads at the same moment go in one request, each caller getting its own outcome. */
class BatcherTest {
    @Test
    void writesArrivingWhileARequestIsOutGoTogetherInTheNextAndEachCallerGetsItsOwnOutcome() throws Exception {
        CountDownLatch firstSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<String>> requests = new CopyOnWriteArrayList<>();
        Batcher<String, Void> batcher = new Batcher<>(batch -> {
            requests.add(batch.stream().map(Batcher.Item::value).toList());
            if (requests.size() == 1) {
                firstSent.countDown();
                await(release);
            }
            for (Batcher.Item<String, Void> item : batch) {
                if (item.value().startsWith("bad")) {
                    item.fail(new StoreException("refused " + item.value()));
                } else {
                    item.done();
                }
            }
        });
        ExecutorService threads = Executors.newFixedThreadPool(6);
        try {
            Future<?> first = threads.submit(() -> batcher.write("m0"));
            assertTrue(firstSent.await(10, TimeUnit.SECONDS));
            List<Future<?>> later = new ArrayList<>();
            for (String v : List.of("m1", "m2", "bad3", "m4")) {
                later.add(threads.submit(() -> batcher.write(v)));
            }
            // Every later writer is waiting for the first request before any is released.
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threadsWaiting(threads) < 4 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            Set<String> failed = ConcurrentHashMap.newKeySet();
            for (int i = 0; i < later.size(); i++) {
                try {
                    later.get(i).get(10, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof StoreException, e.toString());
                    failed.add(e.getCause().getMessage());
                }
            }
            assertEquals(Set.of("refused bad3"), failed, "only the refused write's caller fails");
            assertEquals(List.of("m0"), requests.get(0));
            assertEquals(2, requests.size(), "the four that came during the first request went in one: " + requests);
            assertEquals(Set.of("m1", "m2", "bad3", "m4"), Set.copyOf(requests.get(1)));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aRequestThatThrowsFailsEveryWriteItCarriedAndTheNextWriteIsSentAgain() {
        List<Integer> sizes = new CopyOnWriteArrayList<>();
        Batcher<String, Void> batcher = new Batcher<>(batch -> {
            sizes.add(batch.size());
            if (batch.get(0).value().equals("down")) {
                throw new StoreException("the cluster is down");
            }
            batch.forEach(Batcher.Item::done);
        });
        StoreException e = assertThrows(StoreException.class, () -> batcher.write("down"));
        assertEquals("the cluster is down", e.getMessage());
        batcher.write("up");
        assertEquals(List.of(1, 1), sizes);
    }

    @Test
    void aWriteTheRequestLeavesWithoutAnOutcomeFails() {
        Batcher<String, Void> batcher = new Batcher<>(batch -> { });
        assertThrows(StoreException.class, () -> batcher.write("lost"));
    }

    private static int threadsWaiting(ExecutorService pool) {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getState() == Thread.State.WAITING && t.getName().startsWith("pool-")
                    && java.util.Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getClassName().equals(Batcher.class.getName()))) {
                n++;
            }
        }
        return n;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
