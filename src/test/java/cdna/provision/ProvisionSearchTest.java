package cdna.provision;

import cdna.design.Design;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random runs of the provisioning twin at the standard model's rates
 * (4 contexts on a link of 3; context 2 greedy): contexts assigned and
 * released between ticks, backlogs changing at random, the arbiter picking at
 * random among the contexts it may serve in half the runs, by a fixed
 * priority (the highest-numbered first) in the others.  The baseline breaks nothing and
 * starves no one; every known-bad design is caught on its named property.
 * The seed is printed; -Dcdna.seed=N reproduces a run.
 */
class ProvisionSearchTest {
    static final int RUNS = 200;
    static final int STEPS = 300;
    /** A context backlogged this many ticks in a row without sending is starved (the safe arbiter serves it every tick). */
    static final int STARVED_TICKS = 8;

    static long seed() {
        long seed = Long.getLong("cdna.seed", 20261205L);
        System.out.println("ProvisionSearchTest: seed=" + seed + " (reproduce with -Dcdna.seed=" + seed + ")");
        return seed;
    }

    static ProvisionConfig standard() {
        return ProvisionConfig.of(3, new int[]{1, 2, 2, 3}, new int[]{1, 3, 2, 3}, new int[]{1, 2, 1, 0}, 3, 6);
    }

    /** The properties one random run breaks, each with the first step at which it did. */
    static Map<String, Integer> run(Design d, long runSeed, boolean priority) {
        ProvisionedHost h = new ProvisionedHost(standard(), d);
        SplittableRandom rnd = new SplittableRandom(runSeed);
        Map<String, Integer> broken = new java.util.TreeMap<>();
        // for each context, the stretch since it last sent or was not backlogged: starvation is judged over it
        List<List<ProvisionChecker.Moment>> stretch = new ArrayList<>();
        for (int c = 0; c <= h.config().contexts(); c++) stretch.add(new ArrayList<>());
        for (int i = 0; i < STEPS; i++) {
            ProvisionDriver.randomStep(h, rnd, Set.of(1, 2, 3, 4), 0.2, priority);
            for (String p : ProvisionChecker.violations(h).keySet()) broken.putIfAbsent(p, i);
            ProvisionChecker.Moment m = ProvisionChecker.Moment.of(h);
            for (int c = 1; c <= h.config().contexts(); c++) {
                if (!m.backlog()[c] || m.sentNow()[c] > 0) stretch.get(c).clear();
                else stretch.get(c).add(m);
                if (ProvisionChecker.starved(h.config(), stretch.get(c), STARVED_TICKS) != null) {
                    broken.putIfAbsent(ProvisionChecker.NO_STARVATION, i);
                }
            }
        }
        return broken;
    }

    static Set<String> search(Design d, long seed) {
        Set<String> all = new java.util.TreeSet<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int r = 0; r < RUNS; r++) all.addAll(run(d, seeds.nextLong(), r % 2 == 1).keySet());
        return all;
    }

    @Test
    void theBaselineBreaksNothing() {
        assertEquals(Set.of(), search(Design.cdnaBaseline(), seed()));
        assertEquals(Set.of(), search(Design.iommuBaseline(), seed()));
    }

    @Test
    void everyKnownBadDesignIsCaughtOnItsNamedProperty() {
        long seed = seed();
        Map<String, Set<String>> expected = Map.of(
                "provisioning-refill-uncapped", Set.of(ProvisionChecker.RATE_CAP),
                "provisioning-arbiter-ignores-minimum", Set.of(ProvisionChecker.MIN_GUARANTEE, ProvisionChecker.NO_STARVATION),
                "provisioning-admission-ignores-assigned", Set.of(ProvisionChecker.ADMISSION_SOUND));
        for (var e : expected.entrySet()) {
            Set<String> found = search(ProvisionedHostTest.load(e.getKey()), seed);
            assertTrue(found.containsAll(e.getValue()), e.getKey() + ": expected " + e.getValue() + ", found " + found);
        }
    }
}
