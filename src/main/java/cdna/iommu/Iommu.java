package cdna.iommu;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The IOMMU.  A device access carries a requester ID, which selects a domain;
 * the domain's page table says which bytes of which page the device may touch.
 * IOVAs are identified with the machine pages they map (as in
 * IommuProtection), so a page-table entry is a page number plus the set of its
 * bytes that are reachable: the whole page for an ordinary mapping, just the
 * buffer's bytes when the hypervisor bounces a sub-page buffer.
 *
 * <p>The IOTLB is modelled as a worst-case device sees it: every translation
 * the page table gives out is assumed cached at once (a device may prefetch
 * through ATS), and a cached translation stays usable until the entry is
 * invalidated or the whole IOTLB is flushed.  Cached bytes the page table no
 * longer maps are exactly the spec's iotlb variable.
 *
 * <p>It also does interrupt remapping: an MSI is a DMA write to the interrupt
 * address range, and the remapping entry of the context that sent it
 * (TLA+: irte[c]) lists the vectors it may raise; any other is blocked.
 */
public final class Iommu {
    /** An access no translation allowed. */
    public record Fault(int rid, long iova, long len) {}

    private final int pageSize;
    private final TreeMap<Integer, TreeMap<Integer, BitSet>> tables = new TreeMap<>();
    private final TreeMap<Integer, TreeMap<Integer, BitSet>> iotlb = new TreeMap<>();
    private final List<Fault> faults = new ArrayList<>();
    private long faultCount;
    private long mapOps;
    private long unmapOps;
    private long invalidations;
    private long flushes;
    // Interrupt remapping entries by context: the vectors each may raise.
    private final TreeMap<Integer, TreeSet<String>> irte = new TreeMap<>();
    private long remapFaults;
    // Whether MSIs pass through remapping at all; off, the interrupt range is open to every device.
    private final boolean remapping;

    /** An IOMMU with interrupt remapping turned on. */
    public Iommu(int pageSize) { this(pageSize, true); }

    public Iommu(int pageSize, boolean interruptRemapping) {
        this.pageSize = pageSize;
        this.remapping = interruptRemapping;
    }

    private Iommu(Iommu o) {
        pageSize = o.pageSize;
        remapping = o.remapping;
        deepCopy(o.tables, tables);
        deepCopy(o.iotlb, iotlb);
        faults.addAll(o.faults);
        faultCount = o.faultCount;
        mapOps = o.mapOps;
        unmapOps = o.unmapOps;
        invalidations = o.invalidations;
        flushes = o.flushes;
        for (var e : o.irte.entrySet()) irte.put(e.getKey(), new TreeSet<>(e.getValue()));
        remapFaults = o.remapFaults;
    }

    private static void deepCopy(TreeMap<Integer, TreeMap<Integer, BitSet>> from, TreeMap<Integer, TreeMap<Integer, BitSet>> to) {
        for (var d : from.entrySet()) {
            TreeMap<Integer, BitSet> t = new TreeMap<>();
            for (var e : d.getValue().entrySet()) t.put(e.getKey(), (BitSet) e.getValue().clone());
            to.put(d.getKey(), t);
        }
    }

    public Iommu copy() { return new Iommu(this); }

    private static BitSet get(TreeMap<Integer, TreeMap<Integer, BitSet>> m, int rid, int page) {
        TreeMap<Integer, BitSet> t = m.get(rid);
        return t == null ? null : t.get(page);
    }

    private static BitSet getOrCreate(TreeMap<Integer, TreeMap<Integer, BitSet>> m, int rid, int page) {
        return m.computeIfAbsent(rid, k -> new TreeMap<>()).computeIfAbsent(page, k -> new BitSet());
    }

    private static void dropIfEmpty(TreeMap<Integer, TreeMap<Integer, BitSet>> m, int rid, int page) {
        TreeMap<Integer, BitSet> t = m.get(rid);
        if (t != null && t.containsKey(page) && t.get(page).isEmpty()) {
            t.remove(page);
            if (t.isEmpty()) m.remove(rid);
        }
    }

    /** Adds bytes of a page to domain rid's page table; the device may cache the translation at once. */
    public void map(int rid, int page, BitSet bytes) {
        mapOps++;
        getOrCreate(tables, rid, page).or(bytes);
        getOrCreate(iotlb, rid, page).or(bytes);
    }

    /** Removes bytes from domain rid's page table.  The IOTLB keeps them until invalidated. */
    public void unmap(int rid, int page, BitSet bytes) {
        unmapOps++;
        BitSet pte = get(tables, rid, page);
        if (pte != null) {
            pte.andNot(bytes);
            dropIfEmpty(tables, rid, page);
        }
    }

    /** Invalidates one IOTLB entry.  A worst-case device re-walks at once, so what the page table still maps is cached again. */
    public void invalidate(int rid, int page) {
        invalidations++;
        TreeMap<Integer, BitSet> t = iotlb.get(rid);
        if (t != null) {
            t.remove(page);
            if (t.isEmpty()) iotlb.remove(rid);
        }
        refill(rid, page);
    }

    /** Flushes the whole IOTLB (a global invalidation). */
    public void flushAll() {
        flushes++;
        iotlb.clear();
        for (var d : tables.entrySet()) for (int page : d.getValue().keySet()) refill(d.getKey(), page);
    }

    private void refill(int rid, int page) {
        BitSet pte = get(tables, rid, page);
        if (pte != null && !pte.isEmpty()) getOrCreate(iotlb, rid, page).or(pte);
    }

    /**
     * Translates a device access of len bytes at iova (within one page) for
     * requester rid.  It succeeds only if every byte is reachable through the
     * IOTLB (which includes everything the page table maps); otherwise it
     * faults and is recorded.
     */
    public boolean translate(int rid, long iova, long len) {
        long pageIndex = Math.floorDiv(iova, (long) pageSize);
        int off = (int) Math.floorMod(iova, (long) pageSize);
        boolean ok = iova >= 0 && len > 0 && pageIndex + 1 <= Integer.MAX_VALUE && off + len <= pageSize;
        if (ok) {
            BitSet cached = get(iotlb, rid, (int) pageIndex + 1);
            ok = cached != null && cached.get(off, (int) (off + len)).cardinality() == len;
        }
        if (!ok) {
            faultCount++;
            if (faults.size() < 1000) faults.add(new Fault(rid, iova, len));
        }
        return ok;
    }

    /**
     * Bytes of page the device can reach for rid now: the page table plus
     * whatever the IOTLB still holds, which is just the IOTLB, since it caches
     * every translation the page table gives out.
     */
    public BitSet reach(int rid, int page) {
        BitSet c = get(iotlb, rid, page);
        return c == null ? new BitSet() : (BitSet) c.clone();
    }

    /** Pages with any reachable byte for rid. */
    public List<Integer> reachablePages(int rid) {
        return new ArrayList<>(iotlb.getOrDefault(rid, new TreeMap<>()).keySet());
    }

    /** The page table of rid (a copy). */
    public Map<Integer, BitSet> pageTable(int rid) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        TreeMap<Integer, BitSet> t = tables.get(rid);
        if (t != null) for (var e : t.entrySet()) r.put(e.getKey(), (BitSet) e.getValue().clone());
        return r;
    }

    /** TLA+: iotlb[d]: cached bytes the page table of rid no longer maps. */
    public Map<Integer, BitSet> stale(int rid) {
        TreeMap<Integer, BitSet> r = new TreeMap<>();
        for (var e : iotlb.getOrDefault(rid, new TreeMap<>()).entrySet()) {
            BitSet s = (BitSet) e.getValue().clone();
            BitSet pte = get(tables, rid, e.getKey());
            if (pte != null) s.andNot(pte);
            if (!s.isEmpty()) r.put(e.getKey(), s);
        }
        return r;
    }

    /** True if any domain's IOTLB holds a translation its page table dropped. */
    public boolean anyStale() {
        for (int rid : iotlb.keySet()) if (!stale(rid).isEmpty()) return true;
        return false;
    }

    /** TLA+: irte[c] := vectors. */
    public void setIrte(int ctx, Set<String> vectors) { irte.put(ctx, new TreeSet<>(vectors)); }

    /** TLA+: irte[c] (a copy; empty for a context never programmed). */
    public Set<String> irte(int ctx) { return new TreeSet<>(irte.getOrDefault(ctx, new TreeSet<>())); }

    /**
     * An MSI from context ctx asking for vector: passes if remapping is off or
     * ctx's remapping entry grants the vector, else is blocked and counted.
     */
    public boolean remapMsi(int ctx, String vector) {
        if (passes(ctx, vector)) return true;
        remapFaults++;
        return false;
    }

    /** Whether an MSI from ctx for vector would pass ({@link #remapMsi} without counting a fault). */
    public boolean passes(int ctx, String vector) {
        if (!remapping) return true;
        TreeSet<String> granted = irte.get(ctx);
        return granted != null && granted.contains(vector);
    }

    public long remapFaults() { return remapFaults; }

    public List<Fault> faults() { return List.copyOf(faults); }
    public long faultCount() { return faultCount; }
    public long mapOps() { return mapOps; }
    public long unmapOps() { return unmapOps; }
    public long invalidations() { return invalidations; }
    public long flushes() { return flushes; }
}
