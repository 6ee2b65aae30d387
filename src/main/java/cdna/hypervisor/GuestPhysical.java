package cdna.hypervisor;

import cdna.design.Design;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Full virtualization (TLA+ FullVirtualization): the guest runs an unmodified
 * driver that writes guest-physical addresses, and the hypervisor keeps each
 * guest's physical-to-machine map (p2m).  Protection "software": the
 * hypervisor traps the descriptor write, translates the guest-physical page
 * through the p2m (a page the p2m does not map passes through as the same
 * number), checks the machine page is the guest's (CheckTranslatedOwner) and
 * posts it, pinned while posted.  Protection "iommu": the guest-physical page
 * goes to the device as it is and the guest's IOMMU domain, kept equal to its
 * p2m, translates it.  Memory is page-granular here, as in the spec.
 *
 * <p>Entry points are the spec's actions; a refused one returns false and
 * changes nothing.
 */
public final class GuestPhysical {
    /** TLA+ NoPage: a guest-physical page the p2m does not map. */
    public static final int NO_PAGE = 0;
    /** TLA+ Hyp as page owner. */
    public static final String HYP = cdna.memory.HostMemory.HYP;

    private final Design design;
    private final List<String> guests;
    private final int nGuestPages;
    private final int ringSize;
    // owner[p] for machine pages 1..n (index 0 unused)
    private final String[] owner;
    private final String[] ctxOwner;
    // p2m[g][gp] for guest-physical pages 1..nGuestPages: the machine page, or NO_PAGE
    private final Map<String, int[]> p2m = new TreeMap<>();
    // what each context's guest has posted: machine pages (software) or guest-physical pages (iommu)
    private final List<TreeSet<Integer>> posted = new ArrayList<>();

    public GuestPhysical(Design design, List<String> guests, int nPages, int nGuestPages, List<String> ctxOwners, int ringSize) {
        if (nGuestPages < 1 || nGuestPages > nPages) throw new IllegalArgumentException("need 1 <= NGuestPages <= NPages");
        for (String o : ctxOwners) if (!guests.contains(o)) throw new IllegalArgumentException("context owner " + o + " is not a guest");
        this.design = design;
        this.guests = List.copyOf(guests);
        this.nGuestPages = nGuestPages;
        this.ringSize = ringSize;
        owner = new String[nPages + 1];
        Arrays.fill(owner, HYP);
        ctxOwner = ctxOwners.toArray(new String[0]);
        for (String g : guests) p2m.put(g, new int[nGuestPages + 1]);
        for (int c = 0; c < ctxOwner.length; c++) posted.add(new TreeSet<>());
    }

    private GuestPhysical(GuestPhysical o) {
        design = o.design;
        guests = o.guests;
        nGuestPages = o.nGuestPages;
        ringSize = o.ringSize;
        owner = o.owner.clone();
        ctxOwner = o.ctxOwner.clone();
        o.p2m.forEach((g, m) -> p2m.put(g, m.clone()));
        for (TreeSet<Integer> s : o.posted) posted.add(new TreeSet<>(s));
    }

    /** An independent copy (for state-graph replay). */
    public GuestPhysical copy() { return new GuestPhysical(this); }

    private boolean software() { return design.protection() == Design.Protection.SOFTWARE; }
    private boolean isPage(int p) { return p >= 1 && p < owner.length; }
    private boolean isGuestPage(int gp) { return gp >= 1 && gp <= nGuestPages; }
    private boolean isCtx(int c) { return c >= 0 && c < ctxOwner.length; }

    /** TLA+ Translate(g, gp): through the p2m; a page it does not map passes through unchanged. */
    public int translate(String g, int gp) {
        int mp = p2m.get(g)[gp];
        return mp != NO_PAGE ? mp : gp;
    }

    /** TLA+ AllocatePage(g, gp, p): free machine page p becomes guest g's physical page gp. */
    public boolean allocatePage(String g, int gp, int p) {
        if (!guests.contains(g) || !isGuestPage(gp) || !isPage(p) || !owner[p].equals(HYP) || p2m.get(g)[gp] != NO_PAGE) return false;
        owner[p] = g;
        p2m.get(g)[gp] = p;
        return true;
    }

    /** TLA+ FreePage(g, gp): the guest gives physical page gp back; its p2m entry (and IOMMU mapping) goes; refused while pinned. */
    public boolean freePage(String g, int gp) {
        if (!guests.contains(g) || !isGuestPage(gp)) return false;
        int p = p2m.get(g)[gp];
        if (p == NO_PAGE || pinned().contains(p)) return false;
        owner[p] = HYP;
        p2m.get(g)[gp] = NO_PAGE;
        return true;
    }

    /**
     * TLA+ PostBuffer(c, gp): the guest's driver writes guest-physical page gp into a descriptor.
     * Software: trapped, translated, checked (CheckTranslatedOwner) and posted as a machine page.
     * IOMMU: posted as it is; the domain translates at the access.
     */
    public boolean postBuffer(int c, int gp) {
        if (!isCtx(c) || !isGuestPage(gp) || posted.get(c).size() >= ringSize) return false;
        String g = ctxOwner[c];
        int b = gp;
        if (software()) {
            b = translate(g, gp);
            if (design.checkTranslatedOwner() && !owner[b].equals(g)) return false;
        }
        return posted.get(c).add(b);
    }

    /** TLA+ CompleteBuffer(c, b): the NIC completes posted buffer b and the driver reaps it. */
    public boolean completeBuffer(int c, int b) {
        return isCtx(c) && posted.get(c).remove(b);
    }

    /** TLA+ DeviceReach(c): the posted machine pages (software), or every machine page the guest's domain maps (iommu). */
    public Set<Integer> deviceReach(int c) {
        if (software()) return new TreeSet<>(posted.get(c));
        TreeSet<Integer> r = new TreeSet<>();
        for (int gp = 1; gp <= nGuestPages; gp++) if (p2m.get(ctxOwner[c])[gp] != NO_PAGE) r.add(p2m.get(ctxOwner[c])[gp]);
        return r;
    }

    /**
     * The machine page a device access for c to buffer b (as posted) lands in, or NO_PAGE where the
     * IOMMU faults: software descriptors carry machine pages; through the IOMMU the guest's domain
     * translates the guest-physical page, and a page its p2m does not map faults.
     */
    public int access(int c, int b) {
        if (software()) return b;
        return isGuestPage(b) ? p2m.get(ctxOwner[c])[b] : NO_PAGE;
    }

    private Set<Integer> pinned() {
        TreeSet<Integer> r = new TreeSet<>();
        if (software()) for (TreeSet<Integer> s : posted) r.addAll(s);
        return r;
    }

    public String owner(int p) { return owner[p]; }
    public int nPages() { return owner.length - 1; }
    public int nGuestPages() { return nGuestPages; }
    public int contexts() { return ctxOwner.length; }
    public String ctxOwner(int c) { return ctxOwner[c]; }
    public List<String> guests() { return guests; }
    /** p2m[g][gp]: the machine page, or {@link #NO_PAGE}. */
    public int p2m(String g, int gp) { return p2m.get(g)[gp]; }
    public Set<Integer> posted(int c) { return new TreeSet<>(posted.get(c)); }
}
