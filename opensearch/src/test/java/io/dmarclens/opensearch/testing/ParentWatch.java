package io.dmarclens.opensearch.testing;

/**
 * Ends a child JVM (a test node, {@link OpenSearchNodeMain}) once the process that started it is gone: a test
 * JVM killed without running its shutdown hooks must leave no node behind on a shared machine. The parent's
 * process id comes from the system property {@value #PROPERTY}; without it nothing is watched.
 */
final class ParentWatch {
    static final String PROPERTY = "dmarclens.parent.pid";

    private ParentWatch() {
    }

    static void fromSystemProperty() {
        String pid = System.getProperty(PROPERTY);
        if (pid == null) {
            return;
        }
        long parent = Long.parseLong(pid);
        Thread watch = new Thread(() -> {
            while (ProcessHandle.of(parent).map(ProcessHandle::isAlive).orElse(false)) {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.exit(0);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
