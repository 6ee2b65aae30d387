package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Mutant;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exhaustive replay, spec to code: every edge of TLC's reachable state graph
 * of a safe design at small bounds replays on HostSystem with agreeing
 * abstractions (and a silent isolation checker), and a fault planted in the
 * code is reported at the first edge where it shows.  Each model is dumped
 * once; the planted fault replays the same dump.
 */
class ExhaustiveReplayTest {
    static final Path ROOT = Path.of(".");
    static final TlcRunner TLC = new TlcRunner(TlcRunner.Launcher.tlc("1g"));

    static Path work(String name) throws java.io.IOException {
        Path p = Path.of("target", "exhaustive-replay", name);
        if (Files.exists(p)) {
            try (var w = Files.walk(p)) {
                for (Path f : w.sorted(Comparator.reverseOrder()).toList()) Files.delete(f);
            }
        }
        return p;
    }

    static Design design(String name) throws Exception {
        return new DesignFiles(ROOT.resolve("model-check").resolve("designs")).load(name);
    }

    /** A clean replay: every edge of the dump replayed, every node covered, no mismatch. */
    static void assertClean(ExhaustiveReplay.Result r) {
        System.out.println("exhaustive replay: " + r.summary());
        assertNull(r.error(), r.summary());
        assertTrue(r.edges() > 0 && r.nodes() > 0 && r.specStates() > 0, r.summary());
        assertEquals(0, r.mismatchCount(), r.summary());
        assertEquals(r.edges(), r.replayed(), r.summary());
        assertEquals(r.nodes(), r.covered(), r.summary());
        assertEquals(r.specStates(), r.coveredSpecStates(), r.summary());
    }

    /**
     * CdnaProtection at MCCdnaSmall's bounds with one context (two contexts
     * without symmetry and view are too many states for a unit test), under
     * cdna-baseline; then the same graph on a NIC whose DMA moves one byte past
     * the buffer: invisible in the spec's variables (memory contents are not
     * in them), so it is the Java checker that tells, at the first NicDma after
     * a PostDescriptor.
     */
    @Test
    void cdnaSmallOneContextReplaysAndCatchesAPlantedFault() throws Exception {
        ExhaustiveReplay x = new ExhaustiveReplay(ROOT, TLC);
        ExhaustiveReplay.Dump d = x.dump("MCCdnaSmall.cfg", design("cdna-baseline"), Map.of("Contexts", "{c1}"), work("cdna-small-1ctx"));
        assertNull(d.error(), d.error());
        assertClean(ExhaustiveReplay.replay(d, Set.of()));

        ExhaustiveReplay.Result bad = ExhaustiveReplay.replay(d, Set.of(Mutant.DMA_ONE_BYTE_PAST_BUFFER));
        System.out.println("with " + Mutant.DMA_ONE_BYTE_PAST_BUFFER + ": " + bad.summary());
        assertFalse(bad.ok());
        assertTrue(bad.mismatchCount() > 0);
        ExhaustiveReplay.Mismatch first = bad.mismatches().get(0);
        assertTrue(first.detail().contains("IntraGuestProtection"), first.toString());
        assertTrue(bad.replayed() < bad.edges(), "the nodes behind a mismatch are not reached");
        Files.deleteIfExists(d.file());
    }

    /**
     * ContextOwnership at its small bounds (one context, two pages) under
     * cdna-baseline; then a reset that leaves the DMA engine running, which the
     * spec's engine variable shows after the first QuiesceContext of a busy engine.
     */
    @Test
    void ownershipSmallCdnaReplaysAndCatchesAPlantedFault() throws Exception {
        ExhaustiveReplay x = new ExhaustiveReplay(ROOT, TLC);
        ExhaustiveReplay.Dump d = x.dump("MCOwnershipSmall.cfg", design("cdna-baseline"), Map.of(), work("ownership-small-cdna"));
        assertNull(d.error(), d.error());
        assertClean(ExhaustiveReplay.replay(d, Set.of()));

        ExhaustiveReplay.Result bad = ExhaustiveReplay.replay(d, Set.of(Mutant.RESET_KEEPS_ENGINE));
        System.out.println("with " + Mutant.RESET_KEEPS_ENGINE + ": " + bad.summary());
        assertTrue(bad.mismatchCount() > 0);
        ExhaustiveReplay.Mismatch first = bad.mismatches().get(0);
        assertTrue(first.step().startsWith("QuiesceContext"), first.toString());
        assertTrue(first.detail().contains("engine"), first.toString());
        Files.deleteIfExists(d.file());
    }

    /** ContextOwnership at its small bounds under iommu-baseline. */
    @Test
    void ownershipSmallIommuReplays() throws Exception {
        ExhaustiveReplay x = new ExhaustiveReplay(ROOT, TLC);
        assertClean(x.run("MCOwnershipSmall.cfg", design("iommu-baseline"), Map.of(), Set.of(), work("ownership-small-iommu")));
    }

    /**
     * MigrationHandoff at its small bounds on the migration twin, for a B with and without CDNA;
     * then the graph of the known-bad design that leaves DMA writes out of the dirty log, replayed
     * on the safe twin: they part at the first DeviceWrite while dirty logging is on.
     */
    @Test
    void migrationSmallReplaysOnTheTwinAndABadDesignsGraphDoesNot() throws Exception {
        ExhaustiveReplay x = new ExhaustiveReplay(ROOT, TLC);
        Design safe = design("cdna-baseline");
        assertClean(x.run("MCMigrationSmall.cfg", safe, Map.of(), Set.of(), work("migration-small")));
        assertClean(x.run("MCMigrationSmallSoftB.cfg", safe, Map.of(), Set.of(), work("migration-small-soft-b")));

        ExhaustiveReplay.Dump d = x.dump("MCMigrationSmall.cfg", design("migration-dma-not-logged"), Map.of(), work("migration-bad"));
        assertNull(d.error(), d.error());
        ExhaustiveReplay.Dump onSafe = new ExhaustiveReplay.Dump(d.file(), d.cfg(), safe, d.model(), d.tlcSeconds(), null, d.command());
        ExhaustiveReplay.Result bad = ExhaustiveReplay.replay(onSafe, Set.of(), false);
        System.out.println("migration-dma-not-logged's graph on the safe twin: " + bad.summary());
        assertTrue(bad.mismatchCount() > 0, bad.summary());
        ExhaustiveReplay.Mismatch first = bad.mismatches().get(0);
        assertTrue(first.step().startsWith("DeviceWrite"), first.toString());
        assertTrue(first.detail().contains("dirty"), first.toString());
        // a dump stopped at its cap is partial: it is never replayed, whatever its file holds
        ExhaustiveReplay.Dump capped = new ExhaustiveReplay.Dump(d.file(), d.cfg(), safe, d.model(), d.tlcSeconds(), null, d.command(),
                1_000_001);
        ExhaustiveReplay.Result partial = ExhaustiveReplay.replay(capped, Set.of(), true);
        assertTrue(!partial.ok() && partial.error().contains("stopped at 1,000,001 edges"), partial.summary());
        Files.deleteIfExists(d.file());
    }
}
