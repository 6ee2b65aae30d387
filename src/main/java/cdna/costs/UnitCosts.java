package cdna.costs;

import cdna.json.InputException;
import cdna.json.LocatedJson;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The assumed cost of each counted operation, in hypercalls (a VM exit and
 * return is the unit).  They weigh {@link CostTable}'s counts into one cost
 * per packet; they are assumptions, not measurements, which is why they are
 * explicit and can be replaced by a file:
 * <pre>
 *   { "hypercall": 1.0, "map": 0.5, "unmap": 0.5, "invalidation": 2.0,
 *     "pageCheck": 0.05, "pinUpdate": 0.05, "bouncePerKiB": 0.25 }
 * </pre>
 * A file may give only some of them; the others keep their defaults.
 */
public record UnitCosts(double hypercall, double map, double unmap, double invalidation, double pageCheck,
                        double pinUpdate, double bouncePerKiB) {
    /**
     * The defaults.  An IOMMU page-table update costs half a hypercall; an
     * IOTLB invalidation two, because the hypervisor waits for the IOMMU's
     * invalidation queue to drain; checking one page's owner a twentieth, and
     * so does pinning or unpinning a page (one update of the same frame-table
     * entry); bouncing a quarter per KiB copied.
     */
    public static final UnitCosts DEFAULT = new UnitCosts(1.0, 0.5, 0.5, 2.0, 0.05, 0.05, 0.25);

    /** The names a unit-cost file uses, in this order. */
    public static final java.util.List<String> NAMES = java.util.List.of("hypercall", "map", "unmap", "invalidation",
            "pageCheck", "pinUpdate", "bouncePerKiB");

    public UnitCosts {
        for (double x : new double[]{hypercall, map, unmap, invalidation, pageCheck, pinUpdate, bouncePerKiB}) {
            if (!(x >= 0) || Double.isInfinite(x)) throw new IllegalArgumentException("a unit cost must be a finite number >= 0, found " + x);
        }
    }

    /** Each unit cost by its file name. */
    public Map<String, Double> asMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        double[] v = {hypercall, map, unmap, invalidation, pageCheck, pinUpdate, bouncePerKiB};
        for (int i = 0; i < v.length; i++) m.put(NAMES.get(i), v[i]);
        return m;
    }

    /** These costs with one of them multiplied by {@code factor}. */
    public UnitCosts scaled(String name, double factor) {
        Map<String, Double> m = asMap();
        if (!m.containsKey(name)) throw new IllegalArgumentException("no unit cost " + name + "; expected one of " + NAMES);
        m.put(name, m.get(name) * factor);
        return of(m);
    }

    private static UnitCosts of(Map<String, Double> m) {
        return new UnitCosts(m.get("hypercall"), m.get("map"), m.get("unmap"), m.get("invalidation"), m.get("pageCheck"),
                m.get("pinUpdate"), m.get("bouncePerKiB"));
    }

    /** The formula, for tables and reports. */
    public String formula() {
        return String.format(Locale.ROOT, "%s x hypercalls + %s x maps + %s x unmaps + %s x invalidations"
                        + " + %s x pages validated + %s x pages pinned or unpinned + %s x KiB bounced", num(hypercall), num(map),
                num(unmap), num(invalidation), num(pageCheck), num(pinUpdate), num(bouncePerKiB));
    }

    private static String num(double x) {
        return java.math.BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
    }

    /**
     * Reads a unit-cost file.  Unknown names, non-numbers and negative costs
     * are refused with the file, line and column.
     */
    public static UnitCosts read(Path file) throws InputException {
        LocatedJson.Obj o = LocatedJson.object(LocatedJson.read(file), "the unit costs");
        LocatedJson.onlyKeys(o, new java.util.HashSet<>(NAMES), "the unit costs");
        Map<String, Double> m = DEFAULT.asMap();
        for (var e : o.fields().entrySet()) {
            LocatedJson.Node n = e.getValue();
            if (!(n instanceof LocatedJson.Val v) || !(v.value() instanceof Number x)) {
                throw new InputException(n.where() + ": expected unit cost \"" + e.getKey() + "\" to be a number, found " + n.kind());
            }
            double d = x.doubleValue();
            if (!(d >= 0) || Double.isInfinite(d)) {
                throw new InputException(n.where() + ": expected unit cost \"" + e.getKey() + "\" to be a finite number >= 0, found " + x);
            }
            m.put(e.getKey(), d);
        }
        return of(m);
    }
}
