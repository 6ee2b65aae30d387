package cdna.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * The constants of one system, mirroring a TLC model: guest names, NPages,
 * PageSize, MaxLen, contexts with their initial owners (InitCtxOwners picks
 * one assignment), RingSize and SeqMod.  {@code framesAlwaysWaiting} makes the
 * network saturate every context, so RX steps are enabled exactly when the
 * spec's are; {@code flushPeriod} is the deferred-invalidation timer in ticks.
 * {@code privatePages} are the hypervisor's own (TLA+ PrivatePages) and
 * {@code msiPages}, among them, the interrupt address range (TLA+ MsiPages);
 * {@code slices} maps each sliced page to the owner of its upper half (TLA+
 * SlicedPages, SliceOwner).
 */
public record Config(List<String> guests, int nPages, int pageSize, long maxLen,
                     List<String> contexts, List<String> ctxOwners, int ringSize, int seqMod,
                     boolean framesAlwaysWaiting, int flushPeriod, java.util.Set<Integer> privatePages,
                     java.util.Set<Integer> msiPages, java.util.Map<Integer, String> slices) {
    public Config {
        privatePages = java.util.Set.copyOf(privatePages);
        msiPages = java.util.Set.copyOf(msiPages);
        slices = java.util.Map.copyOf(slices);
        for (var e : slices.entrySet()) {
            if (e.getKey() < 1 || e.getKey() > nPages || pageSize < 2) throw new IllegalArgumentException("page " + e.getKey() + " cannot be sliced");
            if (!guests.contains(e.getValue()) && !e.getValue().equals(cdna.memory.HostMemory.HYP)) {
                throw new IllegalArgumentException("slice owner " + e.getValue() + " is neither a guest nor Hyp");
            }
        }
        for (int p : privatePages) if (p < 1 || p > nPages) throw new IllegalArgumentException("private page " + p + " is not a page");
        for (int p : msiPages) if (!privatePages.contains(p)) throw new IllegalArgumentException("MSI page " + p + " is not one of the hypervisor's private pages");
        guests = List.copyOf(guests);
        contexts = List.copyOf(contexts);
        ctxOwners = List.copyOf(ctxOwners);
        if (guests.isEmpty() || contexts.size() != ctxOwners.size()) throw new IllegalArgumentException("every context needs an owner");
        for (String o : ctxOwners) if (!guests.contains(o)) throw new IllegalArgumentException("context owner " + o + " is not a guest");
        if (guests.contains(cdna.memory.HostMemory.HYP)) throw new IllegalArgumentException("Hyp is not a guest name");
        if (maxLen < 1 || flushPeriod < 1) throw new IllegalArgumentException("MaxLen and flushPeriod must be positive");
    }

    /** No hypervisor-private pages: every page can go to a guest. */
    public Config(List<String> guests, int nPages, int pageSize, long maxLen, List<String> contexts, List<String> ctxOwners,
                  int ringSize, int seqMod, boolean framesAlwaysWaiting, int flushPeriod) {
        this(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, java.util.Set.of(), java.util.Set.of(), java.util.Map.of());
    }

    /** No interrupt address range in memory: MSIs are raised, never written by DMA. */
    public Config(List<String> guests, int nPages, int pageSize, long maxLen, List<String> contexts, List<String> ctxOwners,
                  int ringSize, int seqMod, boolean framesAlwaysWaiting, int flushPeriod, java.util.Set<Integer> privatePages) {
        this(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, privatePages, java.util.Set.of(), java.util.Map.of());
    }

    /** The size of MCCdna.cfg: two guests, three 2-byte pages, two contexts (c1 for g1, c2 for g2), rings of 2. */
    public static Config tlcSized() {
        return new Config(List.of("g1", "g2"), 3, 2, 2, List.of("c1", "c2"), List.of("g1", "g2"), 2, 4, true, 4);
    }

    /** nGuests guests g1.., each owning contextsPerGuest contexts c1.., over nPages pages. */
    public static Config of(int nGuests, int contextsPerGuest, int nPages, int pageSize, long maxLen, int ringSize) {
        List<String> g = new ArrayList<>();
        List<String> c = new ArrayList<>();
        List<String> o = new ArrayList<>();
        for (int i = 1; i <= nGuests; i++) g.add("g" + i);
        for (int i = 0; i < nGuests * contextsPerGuest; i++) {
            c.add("c" + (i + 1));
            o.add(g.get(i / contextsPerGuest));
        }
        return new Config(g, nPages, pageSize, maxLen, c, o, ringSize, 2 * ringSize, true, 8);
    }

    public Config withPages(int n) {
        return new Config(guests, n, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, privatePages, msiPages, slices);
    }

    /** TLA+ PrivatePages: pages the hypervisor keeps for itself (rings, the interrupt vector page, dom0), never a guest's. */
    public Config withPrivatePages(java.util.Set<Integer> pages) {
        return new Config(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, pages, msiPages, slices);
    }

    /** TLA+ SlicedPages and SliceOwner: each given page's upper half belongs to the given principal for good. */
    public Config withSlices(java.util.Map<Integer, String> s) {
        return new Config(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, privatePages, msiPages, s);
    }

    /** TLA+ MsiPages: private pages that are the interrupt address range, where a DMA write is an MSI. */
    public Config withMsiPages(java.util.Set<Integer> pages) {
        return new Config(guests, nPages, pageSize, maxLen, contexts, ctxOwners, ringSize, seqMod, framesAlwaysWaiting, flushPeriod, privatePages, pages, slices);
    }
}
