package cdna.guest;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.sim.Config;
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
 * they fuzz (see README).  The isolation checker runs after every step.  The
 * first input byte also says whether the bytes may revoke and reassign
 * contexts and drive interrupts (FuzzDriver's ownership steps); inputs saved
 * before those steps existed select the old decoding and replay unchanged.
 */
class IsolationFuzzTest {
    static final List<String> DESIGNS = List.of(
            "cdna-baseline", "iommu-baseline", "cdna-first-page-only", "cdna-no-pinning", "cdna-no-sequence-numbers",
            "iommu-deferred-reuse", "iommu-shared-requester-id", "iommu-shared", "iommu-single-use-no-bounce",
            "iommu-persistent", "iommu-direct", "iommu-deferred-flush-before-reuse",
            // Appended, so the design an old input's first byte selects does not change.
            "cdna-reassign-without-quiesce", "cdna-drain-without-reset", "cdna-drain-all", "iommu-domain-change-without-flush",
            "cdna-clear-vector-before-scan", "cdna-no-interrupt-remapping", "cdna-deliver-to-current-owner",
            "cdna-keep-guest-mappings");

    static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The TLC-sized machine, or a roomier one with 4-byte pages, MaxLen 6 and three guests. */
    static Config config(int selector) {
        return (selector & 1) == 0 ? Config.tlcSized() : Config.of(3, 1, 6, 4, 6, 3);
    }

    /** The first input byte picks the machine (and design); the rest are steps. */
    static byte[] rest(byte[] in) { return in.length == 0 ? in : java.util.Arrays.copyOfRange(in, 1, in.length); }

    /** Runs an input of designsBreakOnlyWhatTheyMay: byte 0 picks design, machine, and whether ownership steps are on. */
    static HostSystem designRun(byte[] in) {
        int n = DESIGNS.size();
        int sel = in.length == 0 ? 0 : (in[0] & 0xff) % (4 * n);
        HostSystem s = new HostSystem(config(sel / n), load(DESIGNS.get(sel % n)));
        FuzzDriver.run(s, rest(in), sel >= 2 * n);
        return s;
    }

    /** The first byte of a designsBreakOnlyWhatTheyMay input for a design, on the TLC-sized machine. */
    static byte selector(String design, boolean ownership) {
        return (byte) (DESIGNS.indexOf(design) + (ownership ? 2 * DESIGNS.size() : 0));
    }

    /** Runs an input of baselines: bits 0-1 of byte 0 pick machine and baseline, bit 3 turns ownership steps on. */
    static HostSystem baselineRun(byte[] in) {
        int sel = in.length == 0 ? 0 : in[0] & 0xff;
        HostSystem s = new HostSystem(config(sel & 3), (sel & 2) == 0 ? CDNA : IOMMU);
        FuzzDriver.run(s, rest(in), (sel & 8) != 0);
        return s;
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
