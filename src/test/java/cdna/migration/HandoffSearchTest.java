package cdna.migration;

import cdna.design.Design;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random runs of the migration twin: migrations starting, failing over,
 * unplugging, stopping and resuming at random moments while the guest writes,
 * its device has DMA in flight, frames land on either host or are dropped, and
 * the other guest takes every page and context A frees.  The baseline breaks
 * nothing on either kind of destination and always completes unless
 * cancelled; every known-bad design is caught on its named property.  The
 * seed is printed; -Dcdna.seed=N reproduces a run.
 */
class HandoffSearchTest {
    static final int RUNS = 400;
    static final int STEPS = 80;

    static long seed() {
        long seed = Long.getLong("cdna.seed", 20261204L);
        System.out.println("HandoffSearchTest: seed=" + seed + " (reproduce with -Dcdna.seed=" + seed + ")");
        return seed;
    }

    /** A random run; stops at the first safety violation and returns its steps (empty list: none). */
    static List<String> run(HandoffConfig c, Design d, long runSeed, String property) {
        Handoff h = new Handoff(c, d);
        SplittableRandom rnd = new SplittableRandom(runSeed);
        List<String> steps = new ArrayList<>();
        for (int i = 0; i < STEPS; i++) {
            String s = HandoffDriver.randomStep(h, rnd);
            if (s == null) break;
            steps.add(s);
            if (HandoffChecker.violations(h).containsKey(property)) return steps;
        }
        return List.of();
    }

    @Test
    void theBaselineBreaksNothingAndCompletesFromAnyMoment() {
        long seed = seed();
        for (boolean cdnaB : new boolean[]{true, false}) {
            HandoffConfig c = new HandoffConfig(4, 2, 4, 2, cdnaB, true);
            for (int r = 0; r < RUNS; r++) {
                long rs = seed + r;
                Handoff h = new Handoff(c, Design.cdnaBaseline());
                SplittableRandom rnd = new SplittableRandom(rs);
                for (int i = 0; i < STEPS; i++) {
                    String s = HandoffDriver.randomStep(h, rnd);
                    Map<String, String> v = HandoffChecker.violations(h);
                    assertTrue(v.isEmpty(), "run seed " + rs + " after " + s + ": " + v);
                    if (!h.cancelled) assertNull(HandoffChecker.completes(h), "run seed " + rs + " after " + s);
                    if (s == null) break;
                }
            }
        }
    }

    @Test
    void everyKnownBadDesignIsCaughtOnItsProperty() {
        long seed = seed();
        Map<String, String> named = Map.of(
                "migration-dma-not-logged", HandoffChecker.NO_LOST_WRITE,
                "migration-release-before-stop", HandoffChecker.NO_DMA_AFTER_RELEASE,
                "migration-resume-before-stop-copy", HandoffChecker.NO_LOST_WRITE,
                "migration-unplug-without-failover", HandoffChecker.CANCEL_SAFE,
                "migration-b-runs-before-a-stops", HandoffChecker.NO_DOUBLE_RUN,
                "migration-keep-mac-filter", HandoffChecker.NO_MISDELIVERY);
        for (var e : named.entrySet()) {
            Design d = HandoffTest.load(e.getKey());
            List<String> found = List.of();
            long at = -1;
            for (int r = 0; r < 20 * RUNS && found.isEmpty(); r++) {
                found = run(new HandoffConfig(4, 2, 4, 2, true, true), d, seed + r, e.getValue());
                at = seed + r;
            }
            assertTrue(!found.isEmpty(), e.getKey() + ": no " + e.getValue() + " from seed " + seed);
            System.out.println(e.getKey() + " breaks " + e.getValue() + " in run seed " + at + ": " + String.join(", ", found));
        }
    }

    @Test
    void waitingForADirectContextIsFoundStuckOnlyWithoutCdnaOnB() {
        Design d = HandoffTest.load("migration-wait-for-direct-context");
        long seed = seed();
        int stuck = 0;
        for (boolean cdnaB : new boolean[]{true, false}) {
            for (int r = 0; r < RUNS; r++) {
                Handoff h = new Handoff(new HandoffConfig(4, 2, 4, 2, cdnaB, true), d);
                SplittableRandom rnd = new SplittableRandom(seed + r);
                for (int i = 0; i < STEPS && HandoffDriver.randomStep(h, rnd) != null; i++) { }
                if (!h.cancelled && HandoffChecker.completes(h) != null) {
                    assertEquals(false, cdnaB, "run seed " + (seed + r) + ": stuck although B has CDNA");
                    stuck++;
                }
            }
        }
        assertTrue(stuck > 0, "never stuck without CDNA on B");
    }
}
