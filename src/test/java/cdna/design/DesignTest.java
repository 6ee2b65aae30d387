package cdna.design;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed design values: a choice switch's value is an enum constant, and an unknown value is an error, never a default. */
class DesignTest {
    private static final Design IOMMU = Design.iommuBaseline();

    @Test
    void anUnknownStrategyIsAnErrorNotDirect() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IOMMU.with("lazy-design", Switch.IommuStrategy, "lazy"));
        assertNamesEverything(e, "lazy-design", "IommuStrategy", "lazy", "[single-use, shared, persistent, direct]");
    }

    @Test
    void anUnknownQuiesceIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Design.cdnaBaseline().with("q", Switch.RevokeQuiesce, "drain"));
        assertNamesEverything(e, "q", "RevokeQuiesce", "drain", "[reset, drain-all, drain-inflight, none]");
    }

    @Test
    void unknownProtectionAndInvalidationAreErrorsNotSoftwareOrStrict() {
        assertNamesEverything(assertThrows(IllegalArgumentException.class,
                () -> IOMMU.with("p", Switch.Protection, "IOMMU")), "p", "Protection", "IOMMU", "[software, iommu]");
        assertNamesEverything(assertThrows(IllegalArgumentException.class,
                () -> IOMMU.with("i", Switch.Invalidation, "lazy")), "i", "Invalidation", "lazy", "[strict, deferred]");
    }

    @Test
    void aChoiceOfAnotherSwitchOrOfTheWrongKindIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IOMMU.with("x", Switch.IommuStrategy, Design.RevokeQuiesce.RESET));
        assertNamesEverything(e, "x", "IommuStrategy", "RESET", "[single-use, shared, persistent, direct]");
        assertThrows(IllegalArgumentException.class, () -> IOMMU.with("x", Switch.PinPages, "true"));
        assertThrows(IllegalArgumentException.class, () -> IOMMU.with("x", Switch.FlushBatch, "2"));
        assertThrows(IllegalArgumentException.class, () -> IOMMU.with("x", Switch.FlushBatch, 0L));
        assertThrows(IllegalArgumentException.class, () -> IOMMU.with("x", Switch.Protection, null));
    }

    @Test
    void parseHasNoDefault() {
        for (String bad : new String[] {"", "Direct", "DIRECT", " direct", "direct ", "single_use"}) {
            assertThrows(IllegalArgumentException.class,
                    () -> Choice.parse(Design.IommuStrategy.class, "d", Switch.IommuStrategy, bad), bad);
        }
        assertThrows(IllegalArgumentException.class,
                () -> Choice.parse(Design.RevokeQuiesce.class, "d", Switch.RevokeQuiesce, null));
    }

    @Test
    void everyConstantRoundTripsToItsSpecString() {
        for (Switch s : Switch.values()) {
            if (s.kind() != Switch.Kind.CHOICE) continue;
            List<String> specs = new ArrayList<>();
            for (Choice c : s.choiceType().getEnumConstants()) {
                specs.add(c.spec());
                // the constant and its spec string make the same design; the spec view holds the string
                Design byConstant = IOMMU.with("d", s, c);
                Design bySpec = IOMMU.with("d", s, c.spec());
                assertEquals(byConstant, bySpec);
                assertEquals(c.spec(), byConstant.get(s));
                assertEquals("\"" + c.spec() + "\"", s.toTla(c));
                assertEquals("\"" + c.spec() + "\"", s.toTla(byConstant.get(s)));
                assertSame(c, typed(byConstant, s));
                assertSame(c, parse(s, c.spec()));
            }
            assertEquals(s.choices(), specs, s + ": the choices are the enum's spec strings, in order");
        }
    }

    /** The spec strings are the TLA+ constant values and the design-file values: they must not change. */
    @Test
    void theSpecStringsAreTheSpecs() {
        assertEquals(List.of("software", "iommu"), Switch.Protection.choices());
        assertEquals(List.of("single-use", "shared", "persistent", "direct"), Switch.IommuStrategy.choices());
        assertEquals(List.of("strict", "deferred"), Switch.Invalidation.choices());
        assertEquals(List.of("reset", "drain-all", "drain-inflight", "none"), Switch.RevokeQuiesce.choices());
        assertEquals(Design.RevokeQuiesce.DRAIN_INFLIGHT, Design.cdnaBaseline()
                .with("d", Switch.RevokeQuiesce, "drain-inflight").revokeQuiesce());
    }

    @Test
    void toTlaRejectsAStringThatIsNoChoice() {
        assertThrows(IllegalArgumentException.class, () -> Switch.IommuStrategy.toTla("lazy"));
        assertThrows(IllegalArgumentException.class, () -> Switch.IommuStrategy.toTla(Design.Invalidation.STRICT));
    }

    @Test
    void theSpecViewIsBooleanLongOrString() {
        Map<Switch, Object> v = new EnumMap<>(IOMMU.values());
        for (Switch s : Switch.values()) {
            Object x = v.get(s);
            Class<?> expected = switch (s.kind()) {
                case BOOL -> Boolean.class;
                case INT -> Long.class;
                case CHOICE -> String.class;
            };
            assertEquals(expected, x.getClass(), s.name());
        }
        assertEquals(2, IOMMU.with("d", Switch.FlushBatch, 2).flushBatch());
    }

    private static Object typed(Design d, Switch s) {
        return switch (s) {
            case Protection -> d.protection();
            case IommuStrategy -> d.iommuStrategy();
            case Invalidation -> d.invalidation();
            case RevokeQuiesce -> d.revokeQuiesce();
            default -> throw new AssertionError(s + " is not a choice switch with a typed accessor");
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(Switch s, String spec) {
        return Choice.parse((Class) s.choiceType(), "d", s, spec);
    }

    private static void assertNamesEverything(IllegalArgumentException e, String... parts) {
        for (String p : parts) assertTrue(e.getMessage().contains(p), "\"" + e.getMessage() + "\" names " + p);
    }
}
