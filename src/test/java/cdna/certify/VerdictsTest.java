package cdna.certify;

import cdna.check.PropertyResult;
import cdna.sim.Config;
import cdna.sim.Violation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules that turn each model's result and the implementation's findings into one verdict per property. */
class VerdictsTest {
    static PropertyResult r(String model, String verdict, long states, Integer depth, Boolean inRange, String replay) {
        return new PropertyResult(model + "--d", "d", "P", "invariant", null, verdict, states, depth, 1.0,
                verdict.equals("violated") ? "t.json" : null, null, verdict.equals("error") ? "boom" : null, List.of(), inRange,
                replay, null);
    }

    static Certificate.PropertyVerdict combine(List<PropertyResult> spec, ImplementationChecks.Finding java, boolean required) {
        return Verdicts.combine("P", required, spec, java, "note", true, "not required here", "no model checks it", "d");
    }

    static final ImplementationChecks.Finding FOUND = new ImplementationChecks.Finding("P",
            new Violation("P", Violation.Kind.ACCESS, 3, "NicDma", "c1", "g1", 0, 1, "g2", "hit g2's page"), "random run", 42L,
            Config.tlcSized(), List.of("sys.allocatePage(\"g1\", 1);"));

    @Test
    void theShortestCounterexampleWinsOverEverythingElse() {
        Certificate.PropertyVerdict v = combine(List.of(r("a", "holds", 10, 5, true, null), r("b", "violated", 7, 6, null,
                "reproduced: ok"), r("c", "violated", 5, 3, null, "NOT reproduced: x"), r("e", "error", -1, null, null, null)), null, true);
        assertEquals("violated", v.verdict());
        assertTrue(v.why().contains("3 states in c--d") && v.why().contains("NOT reproduced"), v.why());
        assertFalse(v.passes());
    }

    @Test
    void anErrorOrATimeoutOrAMovedStateCountIsNeverHolds() {
        assertEquals("error", combine(List.of(r("a", "holds", 10, 5, true, null), r("b", "error", -1, null, null, null)), null, true).verdict());
        assertEquals("timeout", combine(List.of(r("a", "timeout", 10, 5, null, null)), null, true).verdict());
        Certificate.PropertyVerdict moved = combine(List.of(r("a", "holds", 10, 5, false, null)), null, true);
        assertEquals("error", moved.verdict());
        assertTrue(moved.why().contains("model changed"), moved.why());
    }

    @Test
    void theImplementationBreakingWhatEveryModelHoldsIsAViolation() {
        Certificate.PropertyVerdict v = combine(List.of(r("a", "holds", 10, 5, true, null)), FOUND, true);
        assertEquals("violated", v.verdict());
        assertTrue(v.why().contains("spec and the code disagree"), v.why());
        assertEquals(FOUND, v.java());
    }

    @Test
    void holdsNamesItsModelsAndSize() {
        Certificate.PropertyVerdict v = combine(List.of(r("a", "holds", 10, 5, true, null), r("b", "holds", 2000, 7, null, null)), null, true);
        assertEquals("holds", v.verdict());
        assertTrue(v.why().contains("2 models (a, b)") && v.why().contains("2,000 distinct states"), v.why());
        assertTrue(v.passes());
    }

    @Test
    void uncheckedIsNotCheckedWhenRequiredAndNotApplicableOtherwise() {
        Certificate.PropertyVerdict req = combine(List.of(), null, true);
        assertEquals("not checked", req.verdict());
        assertFalse(req.passes(), "a required property nobody checked blocks the certificate");
        Certificate.PropertyVerdict na = combine(List.of(), null, false);
        assertEquals("not applicable", na.verdict());
        assertTrue(na.passes());
        assertEquals("violated", combine(List.of(), FOUND, false).verdict(), "a violation counts whether required or not");
        Certificate.PropertyVerdict cut = Verdicts.combine("P", true, List.of(), null, "n", false, "x", "y", "d");
        assertTrue(cut.why().contains("interrupted"), cut.why());
    }

    @Test
    void aVacuousModelMakesThePropertyVacuousUnlessACounterexampleExists() {
        PropertyResult vac = r("a", "holds", 10, 5, true, null).judged("vacuous", "vacuous: action NicDma never fired", null,
                List.of(), List.of());
        Certificate.PropertyVerdict v = combine(List.of(r("b", "holds", 10, 5, true, null), vac), null, true);
        assertEquals("vacuous", v.verdict());
        assertTrue(v.why().contains("a--d") && v.why().contains("NicDma never fired"), v.why());
        assertFalse(v.passes());
        assertEquals("violated", combine(List.of(vac, r("c", "violated", 7, 4, null, "reproduced: ok")), null, true).verdict());
    }

    @Test
    void holdsCountsTheWitnessesReached() {
        cdna.check.WitnessResult w = new cdna.check.WitnessResult("WitnessX", "x", "reached", 4, 100, 1.0, null, null, List.of());
        PropertyResult held = r("a", "holds", 10, 5, true, null).judged("holds", null, null, List.of(w), List.of());
        Certificate.PropertyVerdict v = combine(List.of(held), null, true);
        assertEquals("holds", v.verdict());
        assertTrue(v.why().endsWith("1 witness reached"), v.why());
    }

    /** A certification with models left out by --only keeps its violations but is never certified. */
    @Test
    void aPartialCertificationIsNeverACertificate() {
        Certificate.PropertyVerdict holds = combine(List.of(r("a", "holds", 10, 5, true, null)), null, true);
        ConformanceChecks.Result agrees = new ConformanceChecks.Result(List.of(), 1L);
        Certificate whole = new Certificate(null, "small", "?", List.of(holds), List.of(),
                List.of(new Certificate.Skipped("b", "", "applies to IOMMU designs", false)), null, agrees, null, null, 1);
        assertTrue(whole.failing().isEmpty(), whole.failing().toString());
        Certificate partial = new Certificate(null, "small", "?", List.of(holds), List.of(),
                List.of(new Certificate.Skipped("b", "", "applies to IOMMU designs", false),
                        new Certificate.Skipped("c", "", "left out by --only a", true)), null, agrees, null, null, 1);
        assertEquals(List.of("1 model of profile small left out by --only"), partial.failing());
    }
}
