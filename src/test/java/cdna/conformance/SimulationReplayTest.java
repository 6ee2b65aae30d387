package cdna.conformance;

import cdna.check.TlcRunner;
import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.design.Mutant;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random walks of the spec at the standard bounds, too big for the exhaustive replay, replayed
 * on the Java machine step by step (TLC -simulate, one worker, a recorded seed: -Dcdna.seed=N
 * replays other walks).  A planted fault shows the replay can fail.
 */
class SimulationReplayTest {
    static final Path ROOT = Path.of(".");
    static final long SEED = Long.getLong("cdna.seed", 20261204L);
    static final TlcRunner TLC = new TlcRunner(TlcRunner.Launcher.tlc("1g"));

    record Case(String cfg, String design) {}

    static final List<Case> CASES = List.of(new Case("MCCdnaStandard.cfg", "cdna-baseline"), new Case("MCCdnaFull.cfg", "cdna-baseline"),
            new Case("MCOwnershipStandard.cfg", "cdna-baseline"), new Case("MCOwnershipStandard.cfg", "iommu-baseline"),
            new Case("MCOwnershipPair.cfg", "cdna-drain-all"));

    static Design design(String name) throws Exception {
        return new DesignFiles(ROOT.resolve("model-check/designs")).load(name);
    }

    static Path work(String name) { return Path.of("target", "simulation-replay", name); }

    @TestFactory
    Stream<DynamicTest> randomWalksOfTheSpecReplayOnJava() {
        return CASES.stream().map(k -> DynamicTest.dynamicTest(k.design() + " on " + k.cfg(), () -> {
            SimulationReplay.Result r = new SimulationReplay(ROOT, TLC).run(k.cfg(), design(k.design()), Map.of(), SEED, 40, 80, Set.of(),
                    work(k.cfg().replace(".cfg", "") + "-" + k.design()));
            System.out.println("  " + r.summary());
            assertNull(r.replay().error(), r.replay().error());
            assertTrue(r.replay().ok(), r.summary() + "\n" + r.replay().mismatches());
            assertTrue(r.replay().replayed() >= 40 * 20, "walks too short to mean anything: " + r.replay().replayed() + " steps");
        }));
    }

    @Test
    void aNicThatOverrunsItsBuffersIsCaughtOnAWalk() throws Exception {
        SimulationReplay.Result r = new SimulationReplay(ROOT, TLC).run("MCCdnaStandard.cfg", design("cdna-baseline"), Map.of(), SEED,
                40, 80, Set.of(Mutant.DMA_ONE_BYTE_PAST_BUFFER), work("overrun"));
        System.out.println("  with DMA_ONE_BYTE_PAST_BUFFER: " + r.summary());
        assertNull(r.replay().error(), r.replay().error());
        assertFalse(r.replay().ok(), "the overrun went unnoticed");
        assertFalse(r.replay().mismatches().isEmpty());
    }
}
