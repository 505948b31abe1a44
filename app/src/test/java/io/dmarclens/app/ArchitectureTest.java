package io.dmarclens.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noCodeUnits;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module map of docs/architecture.md, held against the compiled main code of every module (the app's
 * test class path has them all). Maven's dependencies already keep modules from seeing what they do not
 * depend on; these rules keep what Maven cannot see: which packages' main code may use JDBC, SQLite and
 * Lucene (the OpenSearch module's tests start a node that brings Lucene; its main code must not use it), and
 * that only the application names a concrete store.
 */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.get();
    }

    @Test
    void onlyTheEmbeddedStoresMainCodeUsesJdbcSqliteOrLucene() {
        // main: test classes are not imported, so this says "main code", as the module map does.
        noClasses().that().resideOutsideOfPackage("io.dmarclens.index..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "org.sqlite..",
                        "org.apache.lucene..")
                .because("the embedded store is one implementation of io.dmarclens.store; the others"
                        + " (OpenSearch) must be able to replace it whole")
                .check(main);
    }

    @Test
    void onlyTheApplicationNamesAConcreteStore() {
        noClasses().that().resideOutsideOfPackages("io.dmarclens.index..", "io.dmarclens.opensearch..",
                        "io.dmarclens.app..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dmarclens.index..", "io.dmarclens.opensearch..")
                .because("everything else works on the io.dmarclens.store interfaces, whichever store is configured")
                .check(main);
    }

    @Test
    void theStoresDoNotKnowEachOther() {
        noClasses().that().resideInAPackage("io.dmarclens.opensearch..")
                .should().dependOnClassesThat().resideInAPackage("io.dmarclens.index..")
                .check(main);
        noClasses().that().resideInAPackage("io.dmarclens.index..")
                .should().dependOnClassesThat().resideInAPackage("io.dmarclens.opensearch..")
                .check(main);
    }

    @Test
    void theStoreInterfaceDependsOnTheReportModelOnly() {
        noClasses().that().resideInAPackage("io.dmarclens.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dmarclens.index..", "io.dmarclens.opensearch..",
                        "io.dmarclens.ingest..", "io.dmarclens.posture..", "io.dmarclens.alerts..", "io.dmarclens.web..", "io.dmarclens.app..",
                        "io.dmarclens.bench..", "io.dmarclens.demo..")
                .check(main);
    }

    @Test
    void dashboardHandlersReadTheStoreOnlyThroughTheReadersScopedView() {
        noClasses().that().resideInAPackage("io.dmarclens.web.pages..").and().doNotHaveSimpleName("ScopedReads")
                .should().callMethodWhere(com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                        com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner(
                                com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo(
                                                io.dmarclens.store.Store.class)
                                        .or(com.tngtech.archunit.core.domain.JavaClass.Predicates
                                                .simpleNameEndingWith("Queries")))))
                .because("docs/security.md 'Scope': a handler that read the store itself could forget the"
                        + " reader's scope; ScopedReads puts it on every read")
                .check(main);
    }

    @Test
    void alertRulesReadOnlyTheStoreInterfaceAndThePostureChecks() {
        noClasses().that().resideInAPackage("io.dmarclens.alerts..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dmarclens.index..", "io.dmarclens.opensearch..",
                        "io.dmarclens.ingest..", "io.dmarclens.web..", "io.dmarclens.app..", "io.dmarclens.bench..",
                        "io.dmarclens.demo..", "java.sql..")
                .because("docs/architecture.md: alerts works on any store (its state behind store.alerts), and the"
                        + " dashboard and the application depend on it, not the other way round")
                .check(main);
    }

    @Test
    void onlyTheDashboardAndTheApplicationUseTheAlerts() {
        noClasses().that().resideInAnyPackage("io.dmarclens.parser..", "io.dmarclens.store..", "io.dmarclens.index..",
                        "io.dmarclens.opensearch..", "io.dmarclens.ingest..", "io.dmarclens.posture..",
                        "io.dmarclens.demo..", "io.dmarclens.bench..")
                .should().dependOnClassesThat().resideInAPackage("io.dmarclens.alerts..")
                .check(main);
    }

    @Test
    void theDashboardDoesNotReachIntoCommandsOrBenchmarks() {
        noClasses().that().resideInAnyPackage("io.dmarclens.web..", "io.dmarclens.ingest..", "io.dmarclens.posture..",
                        "io.dmarclens.alerts..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dmarclens.app..", "io.dmarclens.bench..")
                .check(main);
    }

    @Test
    void mainCodeSaysWhichFailuresItLetsThrough() {
        // Bridge methods the compiler makes for Callable<Integer>.call() repeat the interface's clause.
        noCodeUnits().that().doNotHaveModifier(JavaModifier.BRIDGE).and().doNotHaveModifier(JavaModifier.SYNTHETIC)
                .should().declareThrowableOfType(Exception.class)
                .because("docs/architecture.md, Errors: each method names the checked failures it lets through")
                .check(main);
    }

    @Test
    void theParserKnowsNothingOfStorageOrNetwork() {
        noClasses().that().resideInAPackage("io.dmarclens.parser..")
                .should().dependOnClassesThat().resideInAnyPackage("io.dmarclens.store..", "io.dmarclens.index..",
                        "io.dmarclens.ingest..", "java.net.http..", "javax.net..", "java.sql..")
                .check(main);
    }
}
