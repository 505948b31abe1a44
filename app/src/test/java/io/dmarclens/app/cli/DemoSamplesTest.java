package io.dmarclens.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where {@code serve --demo} finds the sample reports, started in the checkout or from another directory. */
class DemoSamplesTest {
    @TempDir
    Path dir;

    @Test
    void theCurrentDirectoryFirstThenTheLaunchersCheckout() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/sample-reports")).getParent();
        Path here = dir.resolve("elsewhere/sample-reports");
        assertEquals(checkout.resolve("sample-reports"), ServeCommand.demoSamples(here, checkout.toString()),
                "started from another directory: the launcher's checkout");
        Files.createDirectories(here);
        assertEquals(here, ServeCommand.demoSamples(here, checkout.toString()), "the current directory's own");
        assertNull(ServeCommand.demoSamples(dir.resolve("none"), null), "a jar on its own: none");
        assertNull(ServeCommand.demoSamples(dir.resolve("none"), dir.resolve("nowhere").toString()));
    }
}
