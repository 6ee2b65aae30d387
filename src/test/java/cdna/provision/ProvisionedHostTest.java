package cdna.provision;

import cdna.design.Design;
import cdna.design.DesignFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Provisioning's Java twin by hand: for every property, the safe design keeps
 * it in the situation that tests it, and the known-bad design named for it
 * breaks it there, in the steps TLC's shortest counterexample takes.
 */
class ProvisionedHostTest {
    static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** MCProvisioningSmall.cfg: 3 contexts on a link of 2, rates 1, 2, 1, bursts 1, 2, 2, each promised 1, W = 2. */
    static ProvisionedHost small(Design d) { return new ProvisionedHost(ProvisionConfig.small(), d); }

    /** Sends for c while the arbiter lets it, and returns how many. */
    static int drain(ProvisionedHost h, int c) {
        int n = 0;
        while (h.send(c)) n++;
        return n;
    }

    // ------------------------------------------------------------------ RateCap

    /** Context 1 (rate 1, burst 1) idles three ticks, then sends all it can for two ticks. */
    static int burstAfterIdle(ProvisionedHost h) {
        assertTrue(h.assign(1));
        for (int i = 0; i < 3; i++) assertTrue(h.tick(Set.of()));
        assertTrue(h.tick(Set.of(1)));
        int sent = drain(h, 1);
        assertTrue(h.tick(Set.of(1)));
        return sent + drain(h, 1);
    }

    @Test
    void aCappedBucketKeepsTheRateCapAfterIdling() {
        ProvisionedHost h = small(Design.cdnaBaseline());
        assertEquals(2, burstAfterIdle(h), "burst 1, then rate 1");
        assertNull(ProvisionChecker.rateCap(h));
    }

    @Test
    void anUncappedRefillBreaksRateCap() {
        ProvisionedHost h = small(load("provisioning-refill-uncapped"));
        assertEquals(4, burstAfterIdle(h), "saved tokens spent at link rate: 2 a tick for two ticks");
        String why = ProvisionChecker.rateCap(h);
        assertNotNull(why);
        assertTrue(why.contains("context 1 sent 4 packets in 2 ticks, above its cap of 3"), why);
    }

    // ------------------------------------------------------------------ MinGuarantee and NoStarvation

    /** Contexts 1 (slow) and 2 (fast) backlogged for two ticks; the arbiter is asked to favour 2 first. */
    static List<ProvisionChecker.Moment> contention(ProvisionedHost h, int ticks) {
        assertTrue(h.assign(1) && h.assign(2));
        assertTrue(h.tick(Set.of(1, 2)));
        List<ProvisionChecker.Moment> run = new ArrayList<>();
        run.add(ProvisionChecker.Moment.of(h));
        for (int t = 0; t < ticks; t++) {
            // greedy context 2 first, then whoever may still send
            while (h.send(2) || h.send(1)) run.add(ProvisionChecker.Moment.of(h));
            assertTrue(h.tick(Set.of(1, 2)));
            run.add(ProvisionChecker.Moment.of(h));
        }
        return run;
    }

    @Test
    void anArbiterThatHonoursMinimumsServesTheSlowContextFirst() {
        ProvisionedHost h = small(Design.cdnaBaseline());
        assertTrue(h.assign(1) && h.assign(2));
        assertTrue(h.tick(Set.of(1, 2)));
        assertTrue(h.send(2));
        assertFalse(h.send(2), "context 2 has had its minimum while context 1 is still below its own");
        assertTrue(h.send(1));
        List<ProvisionChecker.Moment> run = contention(small(Design.cdnaBaseline()), 4);
        assertNull(ProvisionChecker.starved(ProvisionConfig.small(), run, 1));
    }

    @Test
    void anArbiterThatIgnoresMinimumsBreaksMinGuaranteeAndStarves() {
        ProvisionedHost safe = small(Design.cdnaBaseline());
        contention(safe, 2);
        assertNull(ProvisionChecker.minGuarantee(safe));
        ProvisionedHost bad = small(load("provisioning-arbiter-ignores-minimum"));
        List<ProvisionChecker.Moment> run = contention(bad, 4);
        String why = ProvisionChecker.minGuarantee(bad);
        assertNotNull(why);
        assertTrue(why.contains("context 1 was backlogged for 2 ticks and sent 0"), why);
        String starved = ProvisionChecker.starved(ProvisionConfig.small(), run, 4);
        assertNotNull(starved);
        assertTrue(starved.startsWith("context 1"), starved);
        assertNull(ProvisionChecker.starved(ProvisionConfig.small(), run, 5), "only 4 ticks passed");
    }

    // ------------------------------------------------------------------ AdmissionSound

    @Test
    void admissionCountsTheContextsAlreadyAssigned() {
        ProvisionedHost h = small(Design.cdnaBaseline());
        assertTrue(h.assign(1) && h.assign(2));
        assertFalse(h.assign(3), "minimums 1 + 1 + 1 on a link of 2");
        assertNull(ProvisionChecker.admissionSound(h));
        assertTrue(h.release(2) && h.assign(3), "a released context's minimum is free again");
    }

    @Test
    void admissionThatIgnoresTheAssignedBreaksAdmissionSound() {
        ProvisionedHost h = small(load("provisioning-admission-ignores-assigned"));
        assertTrue(h.assign(1) && h.assign(2) && h.assign(3));
        String why = ProvisionChecker.admissionSound(h);
        assertNotNull(why);
        assertTrue(why.contains("promised 3 packets a tick on a link of 2"), why);
    }

    // ------------------------------------------------------------------ the spec's guards

    @Test
    void stepsTheSpecDoesNotEnableChangeNothing() {
        ProvisionedHost h = small(Design.cdnaBaseline());
        assertFalse(h.send(1), "not assigned");
        assertFalse(h.tick(Set.of(1)), "only assigned contexts can be backlogged");
        assertTrue(h.assign(1));
        assertTrue(h.tick(Set.of(1)));
        assertFalse(h.tick(Set.of(1)), "the arbiter is work-conserving: context 1 can still send");
        assertTrue(h.send(1));
        assertFalse(h.assign(2), "assignments change between ticks, before the first send");
        assertFalse(h.release(1));
        assertFalse(h.send(1), "no token left (burst 1)");
        assertFalse(h.send(0) || h.send(4) || h.assign(9), "no such context");
        assertTrue(h.tick(Set.of()));
        assertEquals(2, h.ticks());
    }
}
