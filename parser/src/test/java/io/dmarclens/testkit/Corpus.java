package io.dmarclens.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Locates test data: the repository's own {@code sample-reports/} and the real-world corpus in
 * {@code ../shared/corpus}, which is absent on a user's machine (tests using it must skip, see
 * {@link #sharedCorpusOrSkip()}).
 */
public final class Corpus {
    private Corpus() {
    }

    /** The repository root, found by walking up from the working directory to the parent pom. */
    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sample-reports")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (with sample-reports/) above " + dir);
    }

    /** {@code sample-reports/}: reports written by us, present on every machine. */
    public static Path sampleReports() {
        return repositoryRoot().resolve("sample-reports");
    }

    /** {@code ../shared/corpus} when present. */
    public static Optional<Path> sharedCorpus() {
        String prop = System.getProperty("dmarclens.shared");
        Path shared = prop != null && !prop.isBlank() ? Path.of(prop) : repositoryRoot().resolveSibling("shared");
        Path corpus = shared.resolve("corpus");
        return Files.isDirectory(corpus) ? Optional.of(corpus.normalize()) : Optional.empty();
    }

    /** {@code ../shared/corpus}, or skips the calling test (JUnit assumption) when it is absent. */
    public static Path sharedCorpusOrSkip() {
        Optional<Path> corpus = sharedCorpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus.isPresent(), "../shared/corpus is absent: skipped");
        return corpus.get();
    }
}
