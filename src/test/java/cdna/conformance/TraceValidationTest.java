package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Mutant;
import cdna.nic.Dir;
import cdna.sim.Action;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code to spec, for every spec with actions: logs of seeded random runs and of fuzz runs of
 * the Java implementation (written to ndjson and read back) are behaviours of the spec, each
 * step the action it names; a planted code fault is rejected at the step that did it; a step
 * given another action's name is reported as misnamed; and a log of a known-bad migration
 * design is no behaviour of the safe design.
 */
class TraceValidationTest {
    static final Path ROOT = Path.of(".");
    static final long SEED = Long.getLong("cdna.seed", 20261204L);
    static final TlcRunner TLC = new TlcRunner(TlcRunner.Launcher.tlc("1g"));
    static final Path WORK = Path.of("target", "trace-validation");

    static Design design(String name) throws Exception {
        return new DesignFiles(ROOT.resolve("model-check/designs")).load(name);
    }

    static TraceValidation.Result validate(StepLog.Log log, String dir) throws Exception {
        return new TraceValidation(ROOT, TLC).validate(log, WORK.resolve(dir));
    }

    /** cfg (under model-check/) and design of each spec's seeded-run log. */
    static final List<String[]> SEEDED = List.of(
            new String[] {"MCCdnaSmall.cfg", "cdna-baseline"},
            new String[] {"MCIommuSmall.cfg", "iommu-baseline"},
            // deferred invalidation: the timer's flush is logged as the spec's FlushIotlb, not as part of a Tick
            new String[] {"MCIommuSmall.cfg", "iommu-deferred-flush-before-reuse"},
            new String[] {"MCOwnershipSmall.cfg", "cdna-baseline"},
            new String[] {"MCOwnershipSmall.cfg", "iommu-baseline"},
            new String[] {"MCOwnershipSmall.cfg", "cdna-drain-all"},
            new String[] {"MCMigrationSmall.cfg", "cdna-baseline"},
            new String[] {"MCMigrationSmallSoftB.cfg", "cdna-baseline"});

    @TestFactory
    Stream<DynamicTest> seededRunsAreBehavioursOfTheirSpec() {
        return SEEDED.stream().map(c -> DynamicTest.dynamicTest(c[0] + " under " + c[1], () -> {
            StepLog.Log log = LoggedRuns.seeded(ROOT, c[0], design(c[1]), SEED, 150, Set.of());
            TraceValidation.Result r = validate(log, "seeded-" + c[0].replace(".cfg", "") + "-" + c[1]);
            System.out.println("  " + c[0] + " under " + c[1] + ", seed " + SEED + ": " + r.summary());
            assertNull(r.error(), r.error());
            // A migration ends when its writes and frames run out: a few dozen steps.
            assertTrue(log.size() > (c[0].startsWith("MCMigration") ? 15 : 40), "the run took too few steps: " + log.size());
            assertTrue(r.valid(), r.summary());
        }));
    }

    /** cfg and design of each spec's fuzz log. */
    static final List<String[]> FUZZED = List.of(
            new String[] {"MCCdnaSmall.cfg", "cdna-baseline"},
            new String[] {"MCIommuSmall.cfg", "iommu-baseline"},
            new String[] {"MCOwnershipSmall.cfg", "cdna-baseline"},
            new String[] {"MCMigrationSmall.cfg", "cdna-baseline"});

    /** Fuzz runs (malicious and honest guests, both rings, the network; revocation and interrupts where the spec has them), logged to ndjson and validated from the file. */
    @TestFactory
    Stream<DynamicTest> fuzzRunsLoggedToNdjsonAreBehavioursOfTheirSpec() {
        return FUZZED.stream().map(c -> DynamicTest.dynamicTest(c[0] + " under " + c[1], () -> {
            byte[] input = new byte[4000];
            new SplittableRandom(SEED).nextBytes(input);
            StepLog.Log log = LoggedRuns.fuzz(ROOT, c[0], design(c[1]), input, "4000 fuzz bytes from seed " + SEED, Set.of());
            Path file = WORK.resolve("fuzz-" + c[0].replace(".cfg", "") + ".ndjson");
            StepLog.write(log, file);
            StepLog.Log read = StepLog.read(file);
            assertEquals(log.size(), read.size());
            TraceValidation.Result r = validate(read, "fuzz-" + c[0].replace(".cfg", ""));
            System.out.println("  fuzz, " + c[0] + " under " + c[1] + ", " + file + ": " + r.summary());
            assertNull(r.error(), r.error());
            assertTrue(read.size() > (c[0].startsWith("MCMigration") ? 8 : 40), "the fuzz run took too few steps: " + read.size());
            assertTrue(r.valid(), r.summary());
        }));
    }

    /**
     * The code fault exhaustive replay catches (ExhaustiveReplayTest), from this side: a
     * reset that leaves the DMA engine busy is logged and rejected at the QuiesceContext.
     */
    @Test
    void aResetThatKeepsTheEngineIsRejectedAtTheQuiesce() throws Exception {
        List<Action> inFlight = List.of(new Action.AllocatePage("g1", 1), new Action.PostDescriptor("g1", "c1", Dir.RX, 0, 2),
                new Action.RingDoorbell("g1", "c1", Dir.RX, 1), new Action.NicFetch("c1", Dir.RX), new Action.StopContext("c1"),
                new Action.QuiesceContext("c1"));
        StepLog.Log log = LoggedRuns.directed(ROOT, "MCOwnershipSmall.cfg", design("cdna-baseline"), List.of("g1"), inFlight,
                Set.of(Mutant.RESET_KEEPS_ENGINE));
        TraceValidation.Result r = validate(log, "reset-keeps-engine");
        System.out.println("  with RESET_KEEPS_ENGINE: " + r.summary());
        assertNull(r.error(), r.error());
        assertFalse(r.valid());
        assertEquals(log.size(), r.divergesAt(), r.summary());
        assertTrue(r.step().startsWith("QuiesceContext"), r.summary());
        assertFalse(r.misnamed(), r.summary());
    }

    /** A fault exhaustive replay cannot see (it follows spec edges only): validation skipping a buffer's last page. */
    @Test
    void aValidationThatSkipsTheLastPageIsRejectedAtThatStep() throws Exception {
        // Byte 1 is in g1's page 1, byte 2 in g2's page 2: the buffer crosses into another guest's page.
        StepLog.Log log = LoggedRuns.directed(ROOT, "MCOwnershipSmall.cfg", design("cdna-baseline"), List.of("g1"),
                List.of(new Action.AllocatePage("g1", 1), new Action.AllocatePage("g2", 2), new Action.PostDescriptor("g1", "c1", Dir.RX, 1, 2)),
                Set.of(Mutant.VALIDATE_SKIPS_LAST_PAGE));
        TraceValidation.Result r = validate(log, "skip-last-page");
        System.out.println("  with VALIDATE_SKIPS_LAST_PAGE: " + r.summary());
        assertNull(r.error(), r.error());
        assertFalse(r.valid());
        assertEquals(4, r.divergesAt(), r.summary());
        assertTrue(r.step().startsWith("PostDescriptor"), r.summary());
    }

    /** The names count, not only the states: a FreePage logged as a TransferPage is found, and said to be misnamed. */
    @Test
    void aStepUnderAnotherActionsNameIsReportedMisnamed() throws Exception {
        StepLog.Log log = LoggedRuns.directed(ROOT, "MCCdnaSmall.cfg", design("cdna-baseline"), List.of("g1", "g2"),
                List.of(new Action.AllocatePage("g1", 1), new Action.AllocatePage("g1", 2), new Action.FreePage("g1", 1)), Set.of());
        TraceValidation.Result ok = validate(log, "names-ok");
        assertTrue(ok.valid(), ok.summary());
        List<StepLog.Entry> entries = new ArrayList<>(log.entries());
        StepLog.Entry free = entries.get(3);
        entries.set(3, new StepLog.Entry(free.action(), "TransferPage", null, free.state()));
        TraceValidation.Result r = validate(new StepLog.Log(log.header(), entries), "names-wrong");
        System.out.println("  FreePage named TransferPage: " + r.summary());
        assertFalse(r.valid());
        assertEquals(4, r.divergesAt(), r.summary());
        assertTrue(r.misnamed(), r.summary());
    }

    /** A run of a known-bad migration design (DMA writes not dirty-logged) is no behaviour of the safe design, and the log says where. */
    @Test
    void aMigrationThatDoesNotLogDmaIsNoBehaviourOfTheSafeDesign() throws Exception {
        Design bad = design("migration-dma-not-logged");
        StepLog.Log log = null;
        Design safe = design("cdna-baseline");
        for (long seed = SEED; log == null || !differsUnder(safe, log); seed++) {
            log = LoggedRuns.seeded(ROOT, "MCMigrationSmall.cfg", bad, seed, 150, Set.of());
        }
        StepLog.Log asSafe = new StepLog.Log(new StepLog.Header(log.header().cfg(), design("cdna-baseline"), List.of(), log.header().source()),
                log.entries());
        TraceValidation.Result r = validate(asSafe, "migration-dma-not-logged");
        System.out.println("  migration-dma-not-logged judged as cdna-baseline: " + r.summary());
        assertNull(r.error(), r.error());
        assertFalse(r.valid(), r.summary());
        assertTrue(r.step().startsWith("DeviceWrite"), r.summary());
        assertTrue(validate(log, "migration-dma-not-logged-own").valid(), "under its own design the log is a behaviour");
    }

    /** Whether the safe design's twin, taking the log's steps, reaches other states (so the log is no behaviour of the safe design). */
    private static boolean differsUnder(Design safe, StepLog.Log log) throws Exception {
        var cfg = cdna.check.Cfg.read(ROOT.resolve("model-check").resolve(log.header().cfg()));
        var h = new cdna.migration.Handoff(MigrationReplay.config(cfg), safe);
        for (int i = 1; i < log.size(); i++) {
            StepLog.Entry e = log.entries().get(i);
            int f = e.params().has("f") ? e.params().get("f").asInt() : 0, p = e.params().has("p") ? e.params().get("p").asInt() : 0;
            if (!cdna.migration.HandoffDriver.take(h, e.specAction(), f, p)) return true;
            for (var v : cdna.migration.HandoffState.of(h).entrySet()) {
                if (!Values.normalize(MigrationReplay.json(v.getValue())).equals(Values.normalize(e.state().get(v.getKey())))) return true;
            }
        }
        return false;
    }

    @Test
    void aLogLineThatIsNoEntryIsAnErrorWithItsLine() throws Exception {
        Path file = WORK.resolve("bad.ndjson");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"step\": 0, \"action\": \"Init\", \"cfg\": \"MCCdnaSmall.cfg\", \"design\": \"x\", \"switches\": {}, "
                + "\"ctxOwners\": [], \"state\": {}}\n{\"step\": 5, \"action\": \"X\", \"specAction\": null, \"state\": {}}\n");
        var e = assertThrows(cdna.json.InputException.class, () -> StepLog.read(file));
        assertTrue(e.getMessage().contains("bad.ndjson:1") && e.getMessage().contains("switch"), e.getMessage());
        Files.writeString(file, validFirstLine() + "{\"step\": 5, \"action\": \"X\", \"specAction\": null, \"state\": {}}\n");
        e = assertThrows(cdna.json.InputException.class, () -> StepLog.read(file));
        assertTrue(e.getMessage().contains("bad.ndjson:2") && e.getMessage().contains("expected step 1"), e.getMessage());
    }

    private static String validFirstLine() throws Exception {
        StepLog.Log log = LoggedRuns.directed(ROOT, "MCCdnaSmall.cfg", design("cdna-baseline"), List.of("g1", "g2"), List.of(), Set.of());
        Path f = WORK.resolve("first.ndjson");
        StepLog.write(log, f);
        return Files.readString(f);
    }
}
