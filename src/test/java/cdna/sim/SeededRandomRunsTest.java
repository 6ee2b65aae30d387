package cdna.sim;

import cdna.design.Design;
import cdna.guest.Adversary;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Long seeded random runs of the safe designs: many guests, many pages, half
 * of the guests malicious and half honest, and the hypervisor taking contexts
 * from guests and giving them to others at random moments while DMA is in
 * flight.  CI runs a small size; -Dcdna.long=true runs the full one (16
 * guests, 1024 pages, 100,000 steps).  Each run prints its seed; a failure is
 * shrunk and printed as a JUnit test to paste.
 */
class SeededRandomRunsTest {
    static final boolean LONG = Boolean.getBoolean("cdna.long");

    static void longRun(Design d, Config cfg, int steps) {
        long seed = Designs.seed(d.name() + " " + cfg.guests().size() + " guests, " + cfg.nPages() + " pages, " + steps + " steps");
        long t0 = System.nanoTime();
        // About one revocation per 500 steps: contexts change hands often, yet carry traffic in between.
        RandomSearch.Result r = RandomSearch.run(cfg, d, Adversary.split().revoking(2), seed, steps, v -> true,
                // Full spec-invariant checks every step would dominate at this size; every access is still checked.
                s -> s.checker().every(LONG ? 97 : 7, LONG ? 4999 : 101));
        System.out.printf("  %d steps, %d DMA accesses checked, %d refused by the IOMMU, %d reassignments (%d stops with DMA in flight), %.1f s%n",
                r.trace().size(), r.system().checker().accesses(), r.system().iommu().faultCount(),
                r.system().reassignments(), r.system().stopsWithDmaInFlight(), (System.nanoTime() - t0) / 1e9);
        if (r.violation() != null) {
            List<Action> shrunk = RandomSearch.shrink(cfg, d, r.trace(), RandomSearch.of(r.violation().property(), null));
            fail(r.violation() + "\nShrunk to " + shrunk.size() + " steps:\n"
                    + JUnitPrinter.test("seed_" + Long.toUnsignedString(seed), cfg, d, shrunk, r.violation().property(), "seed " + seed));
        }
        assertEquals(steps, r.trace().size(), "the run stalled");
        // DMA attempts: accesses that landed, plus those the IOMMU refused (most of a malicious guest's).
        long attempts = r.system().checker().accesses() + r.system().iommu().faultCount();
        // Each reassignment tears down every mapping of the context, so IOMMU runs move less data than CDNA ones.
        assertTrue(attempts > steps / 40, "too little DMA to mean anything: " + attempts);
        assertTrue(r.system().reassignments() >= steps / 1000, "too few reassignments: " + r.system().reassignments());
        assertTrue(r.system().stopsWithDmaInFlight() >= steps / 2000, "too few contexts stopped with DMA in flight: "
                + r.system().stopsWithDmaInFlight());
        assertTrue(IsolationChecker.dataLeaks(r.system()).isEmpty());
    }

    static Config size() {
        return LONG ? Config.of(16, 1, 1024, 64, 96, 8) : Config.of(4, 1, 64, 16, 24, 4);
    }

    @Test
    void cdnaBaselineHoldsOverALongRun() {
        longRun(Design.cdnaBaseline(), size(), LONG ? 100_000 : 10_000);
    }

    @Test
    void iommuBaselineHoldsOverALongRun() {
        longRun(Design.iommuBaseline(), size(), LONG ? 100_000 : 10_000);
    }

    @Test
    void cdnaDrainAllHoldsOverALongRun() {
        longRun(Designs.load("cdna-drain-all"), size(), LONG ? 100_000 : 10_000);
    }

    @Test
    void aFailureReproducesFromItsSeed() {
        Design bad = Designs.load("cdna-no-pinning");
        long seed = RandomSearch.runSeed(Designs.seed("reproduction"), 0);
        RandomSearch.Result a = RandomSearch.run(Config.tlcSized(), bad, Adversary.mixed(), seed, 200, v -> true, null);
        RandomSearch.Result b = RandomSearch.run(Config.tlcSized(), bad, Adversary.mixed(), seed, 200, v -> true, null);
        assertFalse(a.violation() == null, "expected the no-pinning design to fail within 200 steps");
        assertEquals(a.trace(), b.trace());
        assertEquals(a.violation(), b.violation());
        assertTrue(Replay.run(Config.tlcSized(), bad, a.trace()).checker().violated(a.violation().property()));
    }

    /** The same for a violation that needs a context to change hands mid-run. */
    @Test
    void aReassignmentFailureReproducesFromItsSeed() {
        Design bad = Designs.load("cdna-reassign-without-quiesce");
        long seed = RandomSearch.runSeed(Designs.seed("reassignment reproduction"), 0);
        RandomSearch.Result a = RandomSearch.run(Config.tlcSized(), bad, Adversary.mixed(), seed, 300, RandomSearch.of(Violation.NO_STALE_DMA, null), null);
        RandomSearch.Result b = RandomSearch.run(Config.tlcSized(), bad, Adversary.mixed(), seed, 300, RandomSearch.of(Violation.NO_STALE_DMA, null), null);
        assertFalse(a.violation() == null, "expected reassignment without quiescing to leave stale DMA within 300 steps");
        assertEquals(a.trace(), b.trace());
        assertEquals(a.violation(), b.violation());
        assertTrue(a.trace().stream().anyMatch(x -> x instanceof Action.UnmapContext || x instanceof Action.AssignContext));
        assertTrue(Replay.run(Config.tlcSized(), bad, a.trace()).checker().violated(Violation.NO_STALE_DMA));
    }
}
