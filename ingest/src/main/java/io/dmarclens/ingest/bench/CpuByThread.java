package io.dmarclens.ingest.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the live threads, summed by role (the thread name's prefix), so that a benchmark taken on
 * a shared machine can still say where its own CPU went: wall-clock rates shrink under other people's
 * load, CPU per report much less.
 */
final class CpuByThread {
    static final String OTHER = "other threads (main, timers; not the JIT compiler or GC, which the total includes)";
    static final String CLIENTS = "SMTP clients (Jakarta Mail, part of the benchmark, not of the product)";
    static final String PIPELINE = "pipeline threads (parse, enrich, store)";
    /** Thread name prefix and role, in the order they are printed. */
    private static final List<Map.Entry<String, String>> ROLES = List.of(
            Map.entry("inbox-worker", "inbox workers (parse, enrich, store, inbox, ingest log)"),
            Map.entry("pipeline-", PIPELINE),
            Map.entry("inbox-cleaner", "inbox cleaner (deleting processed messages)"),
            Map.entry("dmarc-lens-indexer", "search indexer (Lucene)"),
            Map.entry("dmarc-lens-checkpoint", "SQLite checkpoints"),
            Map.entry("bench-client", CLIENTS),
            Map.entry("pool-", "SMTP sessions (SubEthaSMTP: receive, write inbox)"));

    private CpuByThread() {
    }

    /** CPU nanoseconds of the live threads by role; threads of no known role are summed under "other". */
    static Map<String, Long> snapshot() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> byRole = new LinkedHashMap<>();
        ROLES.forEach(e -> byRole.put(e.getValue(), 0L));
        byRole.put(OTHER, 0L);
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = threads.getThreadCpuTime(info.getThreadId());
            if (cpu <= 0) {
                continue;
            }
            String role = ROLES.stream().filter(e -> info.getThreadName().startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst().orElse(OTHER);
            byRole.merge(role, cpu, Long::sum);
        }
        byRole.values().removeIf(v -> v == 0L);
        return byRole;
    }

    /**
     * Per role, the larger of two snapshots taken in this order: CPU time only grows while a thread lives,
     * so the larger one is the later one unless threads of the role ended in between.
     */
    static Map<String, Long> latest(Map<String, Long> earlier, Map<String, Long> later) {
        Map<String, Long> m = new LinkedHashMap<>(earlier);
        later.forEach((role, cpu) -> m.merge(role, cpu, Math::max));
        return m;
    }

    /** {@code after - before} per role. */
    static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new LinkedHashMap<>();
        after.forEach((role, cpu) -> {
            long v = cpu - before.getOrDefault(role, 0L);
            if (v > 0) {
                d.put(role, v);
            }
        });
        return d;
    }

    /** CPU nanoseconds of the whole process so far (all threads, the JIT and the GC too). */
    static long process() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    }
}
