package cdna.costs;

import cdna.design.Design;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Per-packet protection costs of each design, counted on {@link PacketWorkload}:
 * IOMMU map and unmap operations, IOTLB invalidations (single entries plus
 * global flushes), hypercalls, pages validated, pages pinned or unpinned, and
 * bytes bounced.
 *
 * <p>The "relative cost" column weighs the counts with assumed unit costs
 * ({@link UnitCosts}), to rank the strategies; they are not measurements.
 */
public final class CostTable {
    /** One row: counts per packet. */
    public record Row(String design, String scheme, double maps, double unmaps, double invalidations, double hypercalls,
                      double pagesValidated, double pinUpdates, double bounceBytes) {
        /** The cost per packet under the default unit costs. */
        public double relativeCost() {
            return relativeCost(UnitCosts.DEFAULT);
        }

        /** The cost per packet under the given unit costs. */
        public double relativeCost(UnitCosts u) {
            return hypercalls * u.hypercall() + maps * u.map() + unmaps * u.unmap() + invalidations * u.invalidation()
                    + pagesValidated * u.pageCheck() + pinUpdates * u.pinUpdate() + bounceBytes / 1024.0 * u.bouncePerKiB();
        }
    }

    private CostTable() {}

    /** What a design protects with: "software" or the IOMMU strategy with its invalidation. */
    public static String scheme(Design d) {
        if (d.protection() == Design.Protection.SOFTWARE) return "software";
        return d.iommuStrategy().spec() + (d.invalidation() == Design.Invalidation.DEFERRED ? "/deferred" : "");
    }

    /** Measures one design: warms up (first-use mappings, page allocation), then counts over {@code packets} packets. */
    public static Row measure(Design d, int packets) {
        PacketWorkload w = new PacketWorkload(d);
        w.run(4L * PacketWorkload.GUESTS * PacketWorkload.PAGES_PER_GUEST);
        var s = w.system();
        long p0 = w.packets(), m0 = s.iommu().mapOps(), u0 = s.iommu().unmapOps(),
                i0 = s.iommu().invalidations() + s.iommu().flushes(), h0 = s.hypervisor().hypercalls(),
                v0 = s.hypervisor().pagesValidated(), pin0 = s.hypervisor().pinUpdates(), b0 = s.hypervisor().bounceBytes();
        w.run(packets);
        double n = w.packets() - p0;
        return new Row(d.name(), scheme(d), (s.iommu().mapOps() - m0) / n, (s.iommu().unmapOps() - u0) / n,
                (s.iommu().invalidations() + s.iommu().flushes() - i0) / n, (s.hypervisor().hypercalls() - h0) / n,
                (s.hypervisor().pagesValidated() - v0) / n, (s.hypervisor().pinUpdates() - pin0) / n, (s.hypervisor().bounceBytes() - b0) / n);
    }

    public static List<Row> measure(List<Design> designs, int packets) {
        List<Row> rows = new ArrayList<>();
        for (Design d : designs) rows.add(measure(d, packets));
        return rows;
    }

    public static String format(List<Row> rows, int packets) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Per-packet protection costs (%d received %d-byte frames per design, after warm-up)%n%n",
                packets, PacketWorkload.FRAME));
        String h = "| %-34s | %-19s | %6s | %6s | %10s | %10s | %9s | %8s | %8s | %13s |%n";
        b.append(String.format(Locale.ROOT, h, "design", "scheme", "maps", "unmaps", "IOTLB inv.", "hypercalls", "pages val", "pin upd.",
                "bounce B", "relative cost"));
        b.append(String.format(Locale.ROOT, h, "-".repeat(34), "-".repeat(19), "-".repeat(6), "-".repeat(6), "-".repeat(10), "-".repeat(10),
                "-".repeat(9), "-".repeat(8), "-".repeat(8), "-".repeat(13)));
        String r = "| %-34s | %-19s | %6.3f | %6.3f | %10.3f | %10.3f | %9.3f | %8.3f | %8.1f | %13.3f |%n";
        for (Row x : rows) {
            b.append(String.format(Locale.ROOT, r, x.design(), x.scheme(), x.maps(), x.unmaps(), x.invalidations(), x.hypercalls(),
                    x.pagesValidated(), x.pinUpdates(), x.bounceBytes(), x.relativeCost()));
        }
        b.append(String.format(Locale.ROOT, "%nrelative cost = %s (assumed unit costs, not measurements)%n",
                UnitCosts.DEFAULT.formula()));
        return b.toString();
    }
}
