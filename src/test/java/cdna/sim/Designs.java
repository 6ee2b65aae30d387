package cdna.sim;

import cdna.design.Design;
import cdna.design.DesignFiles;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The test oracle for designs: which properties each design file must break,
 * and which it may break without the oracle saying either way.  Everything
 * else it must keep.  It restates the verdicts of the design files'
 * descriptions and of TLC (MCCdna, MCIommu and MCContextOwnership runs), so a
 * design whose implementation stops failing, or starts failing a property it
 * should keep, is caught.
 */
public final class Designs {
    private Designs() {}

    public static final Map<String, Set<String>> MUST_VIOLATE = Map.ofEntries(
            Map.entry("cdna-baseline", Set.of()),
            Map.entry("iommu-baseline", Set.of()),
            Map.entry("cdna-first-page-only", Set.of(Violation.INTER)),
            Map.entry("cdna-no-pinning", Set.of(Violation.INTER)),
            Map.entry("cdna-no-sequence-numbers", Set.of(Violation.INTER)),
            Map.entry("cdna-pin-after-validate", Set.of(Violation.INTER)),
            Map.entry("cdna-pin-bit", Set.of(Violation.INTER)),
            Map.entry("iommu-deferred-reuse", Set.of(Violation.INTER)),
            Map.entry("iommu-shared-requester-id", Set.of(Violation.INTER)),
            Map.entry("iommu-shared", Set.of(Violation.INTRA)),
            Map.entry("iommu-single-use-no-bounce", Set.of(Violation.INTRA)),
            Map.entry("iommu-persistent", Set.of(Violation.INTRA)),
            Map.entry("iommu-direct", Set.of(Violation.INTRA)),
            Map.entry("iommu-deferred-flush-before-reuse", Set.of(Violation.INTRA)),
            // Reassignment: stale DMA of the previous owner lands in pages it may no longer
            // own (Inter), and in buffers nobody has posted once the pins are dropped (Intra).
            Map.entry("cdna-reassign-without-quiesce", Set.of(Violation.NO_STALE_DMA, Violation.INTER, Violation.INTRA)),
            Map.entry("cdna-drain-without-reset", Set.of(Violation.NO_STALE_DMA, Violation.INTER, Violation.INTRA)),
            Map.entry("iommu-domain-change-without-flush", Set.of(Violation.NO_STALE_DMA, Violation.INTER, Violation.INTRA)),
            // XSA-302: only where the hypervisor has private pages (see config).
            Map.entry("iommu-deassign-to-hardware-domain", Set.of(Violation.NO_STALE_DMA, Violation.INTER)),
            // A conventional NIC given to the next guest without a function-level reset: the descriptors the
            // outgoing guest wrote are still in the ring and are performed through the new owner's domain.
            Map.entry("conventional-reassign-without-flr", Set.of(Violation.NO_STALE_DMA)),
            // Full virtualization is FullVirtHost's (FullVirtTest); the host machine's drivers write machine
            // addresses, so on it this design is the CDNA baseline.
            Map.entry("fullvirt-translate-without-check", Set.of()),
            Map.entry("cdna-drain-all", Set.of()),
            // The provisioning designs change only the transmit rates (cdna.provision, ProvisionedHostTest): on the
            // host machine, which has no rate limits, they are the baseline.
            Map.entry("provisioning-refill-uncapped", Set.of()),
            Map.entry("provisioning-arbiter-ignores-minimum", Set.of()),
            Map.entry("provisioning-admission-ignores-assigned", Set.of()),
            // The migration designs change only the handoff (cdna.migration, MigrationTest): on one host they are the baseline.
            Map.entry("migration-dma-not-logged", Set.of()),
            Map.entry("migration-release-before-stop", Set.of()),
            Map.entry("migration-resume-before-stop-copy", Set.of()),
            Map.entry("migration-unplug-without-failover", Set.of()),
            Map.entry("migration-b-runs-before-a-stops", Set.of()),
            Map.entry("migration-keep-mac-filter", Set.of()),
            Map.entry("migration-wait-for-direct-context", Set.of()),
            Map.entry("cdna-keep-guest-mappings", Set.of(Violation.SINGLE_OWNER)),
            // Safe: validation keeps DMA out of the interrupt range, and the NIC raises only the programmed vector.
            Map.entry("cdna-no-interrupt-remapping", Set.of()),
            Map.entry("iommu-no-interrupt-remapping", Set.of(Violation.NO_INJECTED_INTERRUPT)),
            // An MSI written by DMA: only where the interrupt range is in memory (see config).
            Map.entry("cdna-msi-through-unchecked-page", Set.of(Violation.NO_INJECTED_INTERRUPT, Violation.INTER)),
            Map.entry("cdna-clear-vector-before-scan", Set.of(Violation.NO_LOST_INTERRUPT)),
            Map.entry("cdna-stop-clears-interrupt", Set.of(Violation.NO_LOST_INTERRUPT)),
            // The previous owner's event is never settled with it, so it is lost to it as well.
            Map.entry("cdna-deliver-to-current-owner", Set.of(Violation.NO_MISDIRECTED_INTERRUPT, Violation.NO_LOST_INTERRUPT)));

    /** Properties on which the oracle is silent, per design; see the comments for why. */
    static final Map<String, Set<String>> MAY_VIOLATE = Map.ofEntries(
            // Once a guest's DMA reaches memory it does not own, what it reaches inside its own is not asserted.
            Map.entry("cdna-first-page-only", Set.of(Violation.INTRA)),
            Map.entry("cdna-msi-through-unchecked-page", Set.of(Violation.INTRA)),
            Map.entry("cdna-no-pinning", Set.of(Violation.INTRA)),
            Map.entry("cdna-pin-after-validate", Set.of(Violation.INTRA)),
            Map.entry("cdna-pin-bit", Set.of(Violation.INTRA)),
            // One debt per context: the outgoing owner's is never settled, so the next owner's first
            // interrupt is judged against it too (the spec's owedTo ghost does the same).
            Map.entry("cdna-stop-clears-interrupt", Set.of(Violation.NO_MISDIRECTED_INTERRUPT)),
            // The private page is in no buffer anyone posted.
            Map.entry("iommu-deassign-to-hardware-domain", Set.of(Violation.INTRA)),
            Map.entry("iommu-deferred-reuse", Set.of(Violation.INTRA)),
            // Without the reset a receive in flight at the handoff goes on through the next owner's domain:
            // the previous owner's frame lands in the next owner's buffer (misplaced data, DATA).  The spec
            // does not carry frame contents; its InterGuestIsolation is about reach, which the IOMMU keeps
            // inside the new owner's memory (conventional-small, conventional-standard).
            Map.entry("conventional-reassign-without-flr", Set.of(Violation.INTER)),
            Map.entry("iommu-shared-requester-id", Set.of(Violation.INTRA,
                    // A revoked context's shared domain still maps the other contexts' buffers.
                    Violation.NO_STALE_DMA)),
            // NoStaleDma holds (ownership-small): a reset empties the ring and an empty slot has no issuer.
            Map.entry("cdna-no-sequence-numbers", Set.of(Violation.INTRA)));

    /** Properties a design keeps whatever happens. */
    public static Set<String> mustHold(String design) {
        Set<String> r = new TreeSet<>(Violation.PROPERTIES);
        r.removeAll(MUST_VIOLATE.get(design));
        r.removeAll(MAY_VIOLATE.getOrDefault(design, Set.of()));
        return r;
    }

    /** How a property shows as a real event of the implementation, rather than as the spec's invariant. */
    public static Violation.Kind realKind(String property) {
        return switch (property) {
            case Violation.INTER, Violation.INTRA, Violation.NO_STALE_DMA -> Violation.Kind.ACCESS;
            case Violation.NO_LOST_INTERRUPT -> Violation.Kind.LIVENESS;
            default -> Violation.Kind.EVENT;
        };
    }

    /**
     * The machine a design's random runs use: the size of MCCdna.cfg, plus a fourth page the
     * hypervisor keeps for itself where the design's fault is about such pages, and that page
     * the interrupt address range where the fault is an MSI written by DMA (a machine without
     * them cannot show it), as in model ownership-private.
     */
    public static cdna.sim.Config config(String design) {
        Config c = Config.tlcSized();
        Set<Integer> extra = Set.of(c.nPages() + 1);
        return switch (design) {
            case "iommu-deassign-to-hardware-domain" -> c.withPages(c.nPages() + 1).withPrivatePages(extra);
            case "cdna-msi-through-unchecked-page" -> c.withPages(c.nPages() + 1).withPrivatePages(extra).withMsiPages(extra);
            // A conventional NIC: one context, the whole device, first g1's.
            case "conventional-reassign-without-flr" -> conventional();
            default -> c;
        };
    }

    /** A conventional NIC at the size of MCCdna.cfg: one context (the whole device), first g1's, rings of 2. */
    public static Config conventional() {
        return new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1"), List.of("g1"), 2, 4, true, 4);
    }

    public static List<String> names() { return MUST_VIOLATE.keySet().stream().sorted().toList(); }

    public static Design load(String name) {
        try {
            return new DesignFiles(Path.of("model-check/designs")).load(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The seed of this test run: -Dcdna.seed=N, or a fixed default so CI is repeatable. */
    public static long seed(String what) {
        long seed = Long.getLong("cdna.seed", 20240611L);
        System.out.println(what + ": seed=" + seed + " (reproduce with -Dcdna.seed=" + seed + ")");
        return seed;
    }
}
