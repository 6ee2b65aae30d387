package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Mutant;
import cdna.guest.Adversary;
import cdna.nic.Dir;
import cdna.sim.Action;
import cdna.sim.ActionGenerator;
import cdna.sim.HostSystem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java machine's DeviceReach, PostedCells and IssuersInReach agree with
 * the spec's definitions on states sampled from seeded random runs of the
 * machine, for the designs that exercise each definition (sequence numbers on
 * and off, pinning, the revocation orders, the IOMMU's bounce, domain change
 * and deferred invalidation), at ContextOwnership's small bounds (one context)
 * and its pair bounds (two contexts, one shared page).  Each sample set goes
 * through one TLC run.  A planted fault in the NIC shows the check can fail.
 */
class DerivedSetsTest {
    static final Path ROOT = Path.of(".");
    static final long SEED = 0xD51F7L;
    static final TlcRunner TLC = new TlcRunner(TlcRunner.Launcher.tlc("1g"));

    /** Under target/, so a failing run's module, cfg and TLC log stay for a look. */
    static Path work(String name) throws java.io.IOException {
        Path p = Path.of("target", "derived-sets", name);
        if (java.nio.file.Files.exists(p)) {
            try (var w = java.nio.file.Files.walk(p)) {
                for (Path f : w.sorted(java.util.Comparator.reverseOrder()).toList()) java.nio.file.Files.delete(f);
            }
        }
        return p;
    }

    record Case(String cfg, String design, List<String> owners) {}

    static final List<Case> CASES = List.of(
            new Case("MCOwnershipSmall.cfg", "cdna-baseline", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "cdna-no-sequence-numbers", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "cdna-no-pinning", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "cdna-reassign-without-quiesce", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "cdna-drain-all", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "iommu-baseline", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "iommu-single-use-no-bounce", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "iommu-domain-change-without-flush", List.of("g1")),
            new Case("MCOwnershipSmall.cfg", "iommu-deferred-reuse", List.of("g1")),
            new Case("MCOwnershipPair.cfg", "cdna-no-sequence-numbers", List.of("g1", "g2")),
            new Case("MCOwnershipPair.cfg", "iommu-shared-requester-id", List.of("g1", "g2")));

    /**
     * The adversary's steps on the RX ring only: the spec models one ring, and its sets are over that ring.
     * No guest-written descriptors either: under an IOMMU the spec abstracts the guest's ring away.
     */
    static final ActionGenerator RX_ONLY = new ActionGenerator() {
        final ActionGenerator all = Adversary.mixed().revoking(50);

        @Override
        public Action next(HostSystem s, SplittableRandom rnd) {
            Action a = all.next(s, rnd);
            Dir d = a instanceof Action.PostDescriptor p ? p.d() : a instanceof Action.RingDoorbell r ? r.d()
                    : a instanceof Action.NicFetch f ? f.d() : a instanceof Action.NicDma n ? n.d()
                    : a instanceof Action.ReapCompletions c ? c.d() : Dir.RX;
            return d == Dir.RX && !(a instanceof Action.WriteDescriptor) ? a : null;
        }
    };

    /** Distinct sampled states of seeded runs (by their spec-state view), at most max. */
    static List<HostSystem> sample(Case k, Set<Mutant> mutants, long seed, int max) throws Exception {
        Design d = new DesignFiles(ROOT.resolve("model-check/designs")).load(k.design());
        List<HostSystem> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        SplittableRandom runs = new SplittableRandom(seed);
        for (int run = 0; run < 60 && out.size() < max; run++) {
            HostSystem s = DerivedSets.machine(ROOT, k.cfg(), d, k.owners(), mutants);
            s.checker().off();
            SplittableRandom rnd = runs.split();
            for (int step = 0; step < 60 && out.size() < max; step++) {
                Action a = RX_ONLY.next(s, rnd);
                if (a == null || !a.apply(s)) continue;
                String view = s.cdnaState() + "|" + s.iommuState() + "|" + s.ownershipState();
                if (seen.add(view)) out.add(s.copy());
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> javaAndSpecDefineTheSameSetsOnSampledStates() {
        return CASES.stream().map(k -> DynamicTest.dynamicTest(k.design() + " on " + k.cfg(), () -> {
            List<HostSystem> samples = sample(k, Set.of(), SEED, 100);
            assertTrue(samples.size() >= 20, "too few distinct states sampled: " + samples.size());
            Design d = new DesignFiles(ROOT.resolve("model-check/designs")).load(k.design());
            DerivedSets.Result r = new DerivedSets(ROOT, TLC).check(k.cfg(), d, k.owners(), samples, work(k.cfg().replace(".cfg", "") + "-" + k.design()));
            System.out.printf("  %s on %s: %d sampled states (seed %d), %d differences%n", k.design(), k.cfg(), r.samples(), SEED,
                    r.differences().size());
            assertNull(r.error(), r.error());
            assertEquals(List.of(), r.differences().stream().limit(5).map(Object::toString).toList());
            long reaching = samples.stream().filter(s -> s.config().contexts().stream().anyMatch(c -> !s.deviceReach(c).isEmpty())).count();
            System.out.printf("    %d of them with the device reaching something%n", reaching);
            assertTrue(reaching >= 5, "too few samples where the device reaches anything: " + reaching);
        }));
    }

    /** The check can fail: a NIC that moves one byte past each descriptor reaches a byte the spec's DeviceReach does not. */
    @Test
    void aNicThatOverrunsItsBuffersIsADifference() throws Exception {
        Case k = CASES.get(0);
        List<HostSystem> samples = sample(k, Set.of(Mutant.DMA_ONE_BYTE_PAST_BUFFER), SEED, 40);
        Design d = new DesignFiles(ROOT.resolve("model-check/designs")).load(k.design());
        DerivedSets.Result r = new DerivedSets(ROOT, TLC).check(k.cfg(), d, k.owners(), samples, work("overrun"));
        assertNull(r.error(), r.error());
        assertFalse(r.differences().isEmpty(), "the overrun went unnoticed");
        assertTrue(r.differences().stream().allMatch(x -> x.set().equals("DeviceReach")), r.differences().toString());
    }
}
