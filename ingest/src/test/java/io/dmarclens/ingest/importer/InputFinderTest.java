package io.dmarclens.ingest.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFinderTest {
    @Test
    void walksDirectoriesAndTakesOnlyMaildirMessages(@TempDir Path dir) throws Exception {
        Path reports = Files.createDirectories(dir.resolve("reports/2026"));
        Files.writeString(reports.resolve("a.xml"), "x");
        Files.writeString(reports.resolve(".hidden.xml"), "x");
        Files.writeString(dir.resolve("reports/b.xml.gz"), "x");
        Path maildir = dir.resolve("Maildir");
        for (String sub : List.of("cur", "new", "tmp", ".Reports/cur", ".Reports/new", ".Reports/tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Files.writeString(maildir.resolve("cur/1.host:2,S"), "m");
        Files.writeString(maildir.resolve("new/2.host"), "m");
        Files.writeString(maildir.resolve("tmp/3.host"), "partial");
        Files.writeString(maildir.resolve("dovecot-uidlist"), "index");
        Files.writeString(maildir.resolve(".Reports/new/4.host"), "m");

        InputFinder found = InputFinder.find(List.of(dir.resolve("reports"), maildir, dir.resolve("missing.xml")));

        assertEquals(List.of(dir.resolve("reports/2026/a.xml"), dir.resolve("reports/b.xml.gz"),
                maildir.resolve("cur/1.host:2,S"), maildir.resolve("new/2.host"),
                maildir.resolve(".Reports/new/4.host")), found.files());
        assertEquals(1, found.problems().size());
        assertEquals("no such file or directory", found.problems().get(0).reason());
    }
}
