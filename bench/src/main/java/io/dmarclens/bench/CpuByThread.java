package io.dmarclens.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the live threads, summed by role (the thread name's prefix), so that a benchmark taken on
 * a shared machine can still say where its own CPU went: wall-clock rates shrink under other people's
 * load, CPU per report much less.
 */
public final class CpuByThread {
    static final String OTHER = "other threads (main, timers)";
    static final String JIT = "JIT compiler (C1, C2)";
    static final String GC = "garbage collector and VM thread";
    static final String CLIENTS = "SMTP clients (Jakarta Mail, part of the benchmark, not of the product)";
    static final String PIPELINE = "pipeline threads (parse, enrich, store)";
    /** Thread name prefix and role, in the order they are printed. */
    private static final List<Map.Entry<String, String>> ROLES = List.of(
            Map.entry("inbox-worker", "inbox workers (parse, enrich, store, inbox, ingest log)"),
            Map.entry("pipeline-", PIPELINE),
            Map.entry("inbox-cleaner", "inbox cleaner (deleting processed messages)"),
            Map.entry("main", "main thread (in bench import: read, parse, enrich, store)"),
            Map.entry("dmarc-lens-indexer", "search indexer (Lucene)"),
            Map.entry("dmarc-lens-checkpoint", "SQLite checkpoints"),
            Map.entry("bench-client", CLIENTS),
            Map.entry("pool-", "SMTP sessions (SubEthaSMTP: receive, write inbox)"));

    /** Linux reports thread CPU time in ticks of 1/100 s (USER_HZ). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CpuByThread() {
    }

    /** CPU nanoseconds of the live threads by role; threads of no known role are summed under "other". */
    public static Map<String, Long> snapshot() {
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
        jvmThreads(byRole);
        byRole.values().removeIf(v -> v == 0L);
        return byRole;
    }

    /**
     * Adds the JVM's own threads, which the management API does not list, from {@code /proc/self/task}
     * (Linux; elsewhere they stay in "the rest"). Their CPU time comes in clock ticks of 10 ms.
     */
    private static void jvmThreads(Map<String, Long> byRole) {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
            for (Path task : dir) {
                try {
                    String name = Files.readString(task.resolve("comm")).strip();
                    String role = name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler") ? JIT
                            : name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread") ? GC
                            : null;
                    if (role == null) {
                        continue;
                    }
                    String stat = Files.readString(task.resolve("stat"));
                    // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    byRole.merge(role, ticks * NANOS_PER_TICK, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            // no per-thread figures for the JVM's threads
        }
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
    public static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
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
