package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Mutant;
import cdna.nic.Dir;
import cdna.sim.Action;
import cdna.sim.HostSystem;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code to spec: logs of seeded random runs of the Java machine (the adversary's RX-ring steps,
 * revocation and interrupts included) are behaviours of ContextOwnership, as TLC checks them;
 * and a planted fault that lets Java do what the spec never allows (validation skipping a
 * buffer's last page) is a log TLC rejects at the step that did it.
 */
class TraceValidationTest {
    static final Path ROOT = Path.of(".");
    static final long SEED = Long.getLong("cdna.seed", 20261204L);
    static final TlcRunner TLC = new TlcRunner(TlcRunner.Launcher.tlc("1g"));
    static final String CFG = "MCOwnershipSmall.cfg";

    record Log(List<HostSystem> states, List<String> steps) {}

    static Design design(String name) throws Exception {
        return new DesignFiles(ROOT.resolve("model-check/designs")).load(name);
    }

    /**
     * A seeded run logged one spec-sized step at a time (a composite call such as deliverInterrupts
     * logs each of its steps).  Under an IOMMU the NIC's ring is guest memory the spec abstracts
     * away, so the run leaves the NIC's ring steps out there.
     */
    static Log randomRun(Design d, Set<Mutant> mutants, long seed, int steps) throws Exception {
        HostSystem s = DerivedSets.machine(ROOT, CFG, d, List.of("g1"), mutants);
        s.checker().off();
        List<HostSystem> states = new ArrayList<>(List.of(s.copy()));
        List<String> names = new ArrayList<>();
        s.setStepLog(x -> {
            states.add(x.copy());
            names.add(x.lastAction());
        });
        boolean iommu = d.protection() == Design.Protection.IOMMU;
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int tries = 0; names.size() < steps && tries < 20 * steps; tries++) {
            Action a = DerivedSetsTest.RX_ONLY.next(s, rnd);
            if (a == null || iommu && (a instanceof Action.RingDoorbell || a instanceof Action.NicFetch || a instanceof Action.NicDma
                    || a instanceof Action.ReapCompletions)) continue;
            a.apply(s);
        }
        return new Log(states, names);
    }

    @TestFactory
    Stream<DynamicTest> logsOfRandomRunsAreBehavioursOfTheSpec() {
        return Stream.of("cdna-baseline", "iommu-baseline", "cdna-drain-all").map(name -> DynamicTest.dynamicTest(name, () -> {
            Log log = randomRun(design(name), Set.of(), SEED, 150);
            TraceValidation.Result r = new TraceValidation(ROOT, TLC).validate(CFG, design(name), List.of("g1"), log.states(),
                    log.steps(), Path.of("target", "trace-validation", name));
            System.out.println("  " + name + ", seed " + SEED + ": " + r.summary());
            assertNull(r.error(), r.error());
            assertTrue(r.valid(), r.summary());
        }));
    }

    @Test
    void aValidationThatSkipsTheLastPageIsRejectedAtThatStep() throws Exception {
        Design d = design("cdna-baseline");
        HostSystem s = DerivedSets.machine(ROOT, CFG, d, List.of("g1"), Set.of(Mutant.VALIDATE_SKIPS_LAST_PAGE));
        List<HostSystem> states = new ArrayList<>(List.of(s.copy()));
        List<String> names = new ArrayList<>();
        // Byte 1 is in g1's page 1, byte 2 in g2's page 2: the buffer crosses into another guest's page.
        for (Action a : List.of(new Action.AllocatePage("g1", 1), new Action.AllocatePage("g2", 2),
                new Action.PostDescriptor("g1", "c1", Dir.RX, 1, 2))) {
            assertTrue(a.apply(s), a.toJava());
            states.add(s.copy());
            names.add(s.lastAction());
        }
        TraceValidation.Result r = new TraceValidation(ROOT, TLC).validate(CFG, d, List.of("g1"), states, names,
                Path.of("target", "trace-validation", "skip-last-page"));
        System.out.println("  with VALIDATE_SKIPS_LAST_PAGE: " + r.summary());
        assertNull(r.error(), r.error());
        assertFalse(r.valid());
        assertEquals(4, r.divergesAt(), r.summary());
        assertTrue(r.step().startsWith("PostDescriptor"), r.summary());
    }

    /** A fuzz run (malicious and honest guests, both rings, revocation, interrupts) logged to ndjson and validated from the file. */
    @Test
    void aFuzzRunLoggedToNdjsonIsABehaviourOfTheSpec() throws Exception {
        Design d = design("cdna-baseline");
        HostSystem s = DerivedSets.machine(ROOT, CFG, d, List.of("g1"), Set.of());
        Path dir = Path.of("target", "trace-validation", "fuzz");
        java.nio.file.Files.createDirectories(dir);
        Path file = dir.resolve("run.ndjson");
        byte[] input = new byte[4000];
        new SplittableRandom(SEED).nextBytes(input);
        try (StepLog log = StepLog.attach(s, ROOT, CFG, d, List.of("g1"), file)) {
            cdna.guest.FuzzDriver.run(s, input, true);
        }
        StepLog.Read read = StepLog.read(file);
        TraceValidation.Result r = new TraceValidation(ROOT, TLC).validate(CFG, d, List.of("g1"), read, dir);
        System.out.println("  fuzz input from seed " + SEED + ", " + file + ": " + r.summary());
        assertNull(r.error(), r.error());
        assertTrue(read.states().size() > 60, "the fuzz run took too few steps: " + read.states().size());
        assertTrue(r.valid(), r.summary());
    }

    @Test
    void aLogLineThatIsNoEntryIsAnErrorWithItsLine() throws Exception {
        Path file = Path.of("target", "trace-validation", "bad.ndjson");
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "{\"step\": 0, \"action\": \"Init\", \"state\": {}}\n{\"step\": 5, \"action\": \"X\", \"state\": {}}\n");
        var e = org.junit.jupiter.api.Assertions.assertThrows(cdna.json.InputException.class, () -> StepLog.read(file));
        assertTrue(e.getMessage().contains("bad.ndjson:2") && e.getMessage().contains("expected step 1"), e.getMessage());
    }
}
