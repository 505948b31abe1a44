package io.dmarclens.app;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitCallTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.dmarclens.store.Clocks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The build rule behind "no test depends on the date it runs on": main code asks {@link Clocks#system()} or an
 * injected {@link Clock} what time it is, never the system clock itself, so that tests can set the time and CI
 * can run everything 1,000 days ahead. Measuring elapsed time with {@link System#nanoTime()} is fine. Held
 * against the compiled main code of every module, like {@link ArchitectureTest}.
 */
class ClockRuleTest {
    private static JavaClasses main;
    /** The {@code now(...)} factories that read the system clock unless given a {@link Clock}. */
    private static final Set<String> NOW_OWNERS = Set.of("java.time.Instant", "java.time.LocalDate",
            "java.time.LocalDateTime", "java.time.LocalTime", "java.time.ZonedDateTime", "java.time.OffsetDateTime",
            "java.time.OffsetTime", "java.time.Year", "java.time.YearMonth", "java.time.MonthDay");
    /** {@link Clock} factories that hand out the system clock. */
    private static final Set<String> SYSTEM_CLOCKS = Set.of("systemUTC", "systemDefaultZone", "system",
            "tickMillis", "tickSeconds", "tickMinutes");

    static final DescribedPredicate<JavaCall<?>> READS_THE_SYSTEM_CLOCK =
            DescribedPredicate.describe("read the system clock", ClockRuleTest::readsTheSystemClock);

    static final ArchRule ONLY_CLOCKS_READS_THE_SYSTEM_CLOCK = noClasses()
            .that().doNotHaveFullyQualifiedName(Clocks.class.getName())
            .should().callCodeUnitWhere(READS_THE_SYSTEM_CLOCK)
            .because("code asks an injected java.time.Clock (Clocks.system() in the wiring) what time it is,"
                    + " so that tests can set it; measure elapsed time with System.nanoTime()");

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.get();
    }

    @Test
    void onlyClocksReadsTheSystemClock() {
        assertTrue(main.contain(Clocks.class) && main.contain("io.dmarclens.app.cli.ServeRuntime"),
                "every module's main code is imported");
        ONLY_CLOCKS_READS_THE_SYSTEM_CLOCK.check(main);
    }

    private static boolean readsTheSystemClock(JavaCall<?> call) {
        CodeUnitCallTarget target = call.getTarget();
        String owner = target.getOwner().getName();
        String name = target.getName();
        List<JavaClass> parameters = target.getRawParameterTypes();
        if (name.equals("now") && NOW_OWNERS.contains(owner)) {
            return parameters.stream().noneMatch(p -> p.isEquivalentTo(Clock.class));
        }
        return owner.equals(Clock.class.getName()) && SYSTEM_CLOCKS.contains(name)
                || owner.equals(System.class.getName()) && name.equals("currentTimeMillis")
                || owner.equals(java.util.Date.class.getName()) && name.equals("<init>") && parameters.isEmpty()
                || owner.equals(java.util.Calendar.class.getName()) && name.equals("getInstance")
                || owner.equals(java.util.GregorianCalendar.class.getName()) && name.equals("<init>")
                && parameters.stream().noneMatch(p -> p.isEquivalentTo(int.class));
    }

    /** The rule sees what it forbids: each way of reading the system clock is one violation. */
    @Test
    void theRuleCatchesEveryWayOfReadingTheSystemClock() {
        JavaClasses violator = new ClassFileImporter().importClasses(ReadsTheSystemClock.class);
        EvaluationResult result = ONLY_CLOCKS_READS_THE_SYSTEM_CLOCK.evaluate(violator);
        List<String> details = result.getFailureReport().getDetails();
        assertEquals(11, details.size(), String.join("\n", details));
        for (String call : List.of("LocalDate.now()", "Instant.now()", "LocalDateTime.now()", "ZonedDateTime.now()",
                "OffsetDateTime.now()", "LocalTime.now()", "LocalDate.now(java.time.ZoneId)", "Clock.systemUTC()",
                "Clock.systemDefaultZone()", "System.currentTimeMillis()", "Date.<init>()")) {
            assertTrue(details.stream().anyMatch(d -> d.contains(call)), call + " is reported:\n" + details);
        }
    }

    /** Reading the time from a given clock, and measuring elapsed time, pass. */
    @Test
    void theRuleLetsAnInjectedClockAndElapsedTimeThrough() {
        JavaClasses allowed = new ClassFileImporter().importClasses(AsksItsClock.class, Clocks.class);
        assertTrue(!ONLY_CLOCKS_READS_THE_SYSTEM_CLOCK.evaluate(allowed).hasViolation(),
                ONLY_CLOCKS_READS_THE_SYSTEM_CLOCK.evaluate(allowed).getFailureReport().toString());
    }

    @SuppressWarnings({"unused", "JavaUtilDate"})
    private static final class ReadsTheSystemClock {
        void readTheTime() {
            LocalDate.now();
            Instant.now();
            LocalDateTime.now();
            ZonedDateTime.now();
            OffsetDateTime.now();
            LocalTime.now();
            LocalDate.now(ZoneOffset.UTC);
            Clock.systemUTC();
            Clock.systemDefaultZone();
            System.currentTimeMillis();
            new java.util.Date();
        }
    }

    @SuppressWarnings("unused")
    private static final class AsksItsClock {
        private final Clock clock;

        AsksItsClock(Clock clock) {
            this.clock = clock;
        }

        long readTheTime() {
            long started = System.nanoTime();
            LocalDate.now(clock);
            Instant.now(clock);
            clock.instant();
            new java.util.Date(clock.millis());
            return System.nanoTime() - started;
        }
    }
}
