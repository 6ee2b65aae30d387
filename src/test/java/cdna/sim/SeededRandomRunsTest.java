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
 * Long seeded random runs of the baselines: many guests, many pages, half of
 * the guests malicious and half honest.  CI runs a small size; -Dcdna.long=true runs
 * the full one (16 guests, 1024 pages, 100,000 steps).  Each run prints its
 * seed; a failure is shrunk and printed as a JUnit test to paste.
 */
class SeededRandomRunsTest {
    static final boolean LONG = Boolean.getBoolean("cdna.long");

    static void longRun(Design d, Config cfg, int steps) {
        long seed = Designs.seed(d.name() + " " + cfg.guests().size() + " guests, " + cfg.nPages() + " pages, " + steps + " steps");
        long t0 = System.nanoTime();
        RandomSearch.Result r = RandomSearch.run(cfg, d, Adversary.split(), seed, steps, v -> true,
                // Full spec-invariant checks every step would dominate at this size; every access is still checked.
                s -> s.checker().every(LONG ? 97 : 7, LONG ? 4999 : 101));
        System.out.printf("  %d steps, %d DMA accesses checked, %d refused by the IOMMU, %.1f s%n", r.trace().size(),
                r.system().checker().accesses(), r.system().iommu().faultCount(),
                (System.nanoTime() - t0) / 1e9);
        if (r.violation() != null) {
            List<Action> shrunk = RandomSearch.shrink(cfg, d, r.trace(), RandomSearch.of(r.violation().property(), null));
            fail(r.violation() + "\nShrunk to " + shrunk.size() + " steps:\n"
                    + JUnitPrinter.test("seed_" + Long.toUnsignedString(seed), cfg, d, shrunk, r.violation().property(), "seed " + seed));
        }
        assertEquals(steps, r.trace().size(), "the run stalled");
        // DMA attempts: accesses that landed, plus those the IOMMU refused (most of a malicious guest's).
        long attempts = r.system().checker().accesses() + r.system().iommu().faultCount();
        assertTrue(attempts > steps / 20, "too little DMA to mean anything: " + attempts);
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
}
