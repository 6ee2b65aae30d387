package cdna.guest;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.sim.Designs;
import cdna.sim.HostSystem;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Jazzer fuzz targets.  Under plain {@code mvn test} they replay the corpus in
 * src/test/resources/cdna/guest/IsolationFuzzTestInputs/; with JAZZER_FUZZ=1
 * they fuzz (see docs/implementation.md).  The isolation checker runs after every step.  The
 * first input byte also says whether the bytes may revoke and reassign
 * contexts and drive interrupts (FuzzDriver's ownership steps); inputs saved
 * before those steps existed select the old decoding and replay unchanged.
 */
class IsolationFuzzTest {
    static final List<String> DESIGNS = FuzzInputs.DESIGNS;

    static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs an input of designsBreakOnlyWhatTheyMay: byte 0 picks design, machine, and whether ownership steps are on. */
    static HostSystem designRun(byte[] in) {
        FuzzInputs.Decoded d = FuzzInputs.decode(FuzzInputs.Target.DESIGNS, in);
        return FuzzInputs.run(d, load(d.design()));
    }

    /** The first byte of a designsBreakOnlyWhatTheyMay input for a design, on the TLC-sized machine. */
    static byte selector(String design, boolean ownership) { return FuzzInputs.selector(design, ownership); }

    /** Runs an input of baselines: bits 0-1 of byte 0 pick machine and baseline, bit 3 turns ownership steps on. */
    static HostSystem baselineRun(byte[] in) {
        FuzzInputs.Decoded d = FuzzInputs.decode(FuzzInputs.Target.BASELINES, in);
        return FuzzInputs.run(d, d.design().equals("cdna-baseline") ? CDNA : IOMMU);
    }

    static final Design CDNA = load("cdna-baseline");
    static final Design IOMMU = load("iommu-baseline");

    /** The baselines never violate anything, whatever the guests do. */
    @FuzzTest(maxDuration = "10m")
    void baselines(FuzzedDataProvider data) {
        HostSystem s = baselineRun(data.consumeRemainingAsBytes());
        assertFalse(s.checker().first() != null, () -> s.design().name() + ": " + s.checker().violations());
    }

    /** Every design breaks only what it is known to break (the oracle in {@link Designs}). */
    @FuzzTest(maxDuration = "10m")
    void designsBreakOnlyWhatTheyMay(FuzzedDataProvider data) {
        byte[] in = data.consumeRemainingAsBytes();
        HostSystem s = designRun(in);
        String name = s.design().name();
        for (String p : Designs.mustHold(name)) {
            assertFalse(s.checker().violated(p), () -> name + " broke " + p + ": " + s.checker().first(p));
        }
    }
}
