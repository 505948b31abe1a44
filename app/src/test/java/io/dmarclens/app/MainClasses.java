package io.dmarclens.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The compiled main code of every module, imported once for the build rules ({@link ArchitectureTest},
 * {@link ClockRuleTest}): class directories, or their jars in a reactor build past "package"; no
 * third-party jar and no test jar. Importing takes seconds, so the rules share one import.
 */
final class MainClasses {
    private static final class Holder {
        static final JavaClasses CLASSES = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.isJar()
                        || location.contains("dmarc-lens-") && !location.contains("-tests.jar"))
                .importPackages("io.dmarclens");
    }

    private MainClasses() {
    }

    static JavaClasses get() {
        return Holder.CLASSES;
    }
}
