package cdna.guest;

import cdna.design.Design;
import cdna.design.DesignFiles;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.Violation;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Jazzer fuzz targets.  Under plain {@code mvn test} they replay the corpus in
 * src/test/resources/cdna/guest/IsolationFuzzTestInputs/; with JAZZER_FUZZ=1
 * they fuzz (see README).  The isolation checker runs after every step.
 */
class IsolationFuzzTest {
    static final List<String> DESIGNS = List.of(
            "cdna-baseline", "iommu-baseline", "cdna-first-page-only", "cdna-no-pinning", "cdna-no-sequence-numbers",
            "iommu-deferred-reuse", "iommu-shared-requester-id", "iommu-shared", "iommu-single-use-no-bounce",
            "iommu-persistent", "iommu-direct", "iommu-deferred-flush-before-reuse");

    /** Bad designs that still keep inter-guest isolation by design. */
    static final Set<String> INTER_HOLDS = Set.of(
            "iommu-shared", "iommu-single-use-no-bounce", "iommu-persistent", "iommu-direct", "iommu-deferred-flush-before-reuse");

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

    /** Runs an input of designsBreakOnlyWhatTheyMay: byte 0 picks design and machine. */
    static HostSystem designRun(byte[] in) {
        int sel = in.length == 0 ? 0 : (in[0] & 0xff) % (2 * DESIGNS.size());
        HostSystem s = new HostSystem(config(sel / DESIGNS.size()), load(DESIGNS.get(sel % DESIGNS.size())));
        FuzzDriver.run(s, rest(in));
        return s;
    }

    static final Design CDNA = load("cdna-baseline");
    static final Design IOMMU = load("iommu-baseline");

    /** The baselines never violate anything, whatever the guests do. */
    @FuzzTest(maxDuration = "10m")
    void baselines(FuzzedDataProvider data) {
        byte[] in = data.consumeRemainingAsBytes();
        int sel = in.length == 0 ? 0 : in[0] & 3;
        HostSystem s = new HostSystem(config(sel), (sel & 2) == 0 ? CDNA : IOMMU);
        FuzzDriver.run(s, rest(in));
        assertFalse(s.checker().first() != null, () -> s.design().name() + ": " + s.checker().violations());
    }

    /** Every design breaks only what it is known to break: Inter-keeping designs never break Inter. */
    @FuzzTest(maxDuration = "10m")
    void designsBreakOnlyWhatTheyMay(FuzzedDataProvider data) {
        byte[] in = data.consumeRemainingAsBytes();
        HostSystem s = designRun(in);
        String name = s.design().name();
        if (name.endsWith("baseline") || INTER_HOLDS.contains(name)) {
            assertFalse(s.checker().violated(Violation.INTER), () -> name + ": " + s.checker().first(Violation.INTER));
        }
        if (name.endsWith("baseline")) {
            assertFalse(s.checker().violated(Violation.INTRA), () -> name + ": " + s.checker().first(Violation.INTRA));
        }
    }
}
