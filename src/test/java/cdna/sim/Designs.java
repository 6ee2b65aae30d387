package cdna.sim;

import cdna.design.Design;
import cdna.design.DesignFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test oracle for designs: which properties each design file must break.
 * It restates the verdicts of the design files' descriptions (and the TLC
 * runs), so a design whose implementation stops failing, or starts failing a
 * property it should keep, is caught.
 */
final class Designs {
    private Designs() {}

    static final Map<String, Set<String>> MUST_VIOLATE = Map.ofEntries(
            Map.entry("cdna-baseline", Set.of()),
            Map.entry("iommu-baseline", Set.of()),
            Map.entry("cdna-first-page-only", Set.of(Violation.INTER)),
            Map.entry("cdna-no-pinning", Set.of(Violation.INTER)),
            Map.entry("cdna-no-sequence-numbers", Set.of(Violation.INTER)),
            Map.entry("iommu-deferred-reuse", Set.of(Violation.INTER)),
            Map.entry("iommu-shared-requester-id", Set.of(Violation.INTER)),
            Map.entry("iommu-shared", Set.of(Violation.INTRA)),
            Map.entry("iommu-single-use-no-bounce", Set.of(Violation.INTRA)),
            Map.entry("iommu-persistent", Set.of(Violation.INTRA)),
            Map.entry("iommu-direct", Set.of(Violation.INTRA)),
            Map.entry("iommu-deferred-flush-before-reuse", Set.of(Violation.INTRA)));

    /** Properties a design keeps whatever happens: both for the baselines, Inter for the Intra-only designs, none otherwise. */
    static Set<String> mustHold(String design) {
        Set<String> bad = MUST_VIOLATE.get(design);
        if (bad.isEmpty()) return Set.of(Violation.INTER, Violation.INTRA);
        return bad.contains(Violation.INTER) ? Set.of() : Set.of(Violation.INTER);
    }

    static List<String> names() { return MUST_VIOLATE.keySet().stream().sorted().toList(); }

    static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed of this test run: -Dcdna.seed=N, or a fixed default so CI is repeatable. */
    static long seed(String what) {
        long seed = Long.getLong("cdna.seed", 20240611L);
        System.out.println(what + ": seed=" + seed + " (reproduce with -Dcdna.seed=" + seed + ")");
        return seed;
    }
}
