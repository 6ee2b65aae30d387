package cdna.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Host (machine) memory: pages numbered 1..nPages of pageSize real bytes, each
 * page owned by a guest or by the hypervisor ({@link #HYP}, which also holds
 * the free pool).  Page order matters: address a lies in page a / pageSize + 1,
 * exactly as PageOf in CdnaProtection.
 *
 * <p>Every byte also carries a provenance tag (0 = nobody, i + 1 = guest i):
 * whose data it is.  The tag is what lets a test show a leak in the data
 * itself, not only in the access log: a byte tagged for guest A inside a page
 * guest B owns got there by a DMA that broke isolation, because every
 * legitimate path keeps tags and owners in step (scrub on free, retag on
 * transfer).
 */
public final class HostMemory {
    /** The hypervisor as page owner (TLA+ CONSTANT Hyp). */
    public static final String HYP = "Hyp";

    private final int nPages;
    private final int pageSize;
    private final String[] owner;
    private final byte[] bytes;
    private final short[] tag;
    // Pages the hypervisor keeps for itself (TLA+ PrivatePages): owned by Hyp and never allocated to a guest.
    private final java.util.BitSet privatePages = new java.util.BitSet();

    public HostMemory(int nPages, int pageSize) {
        if (nPages < 1 || pageSize < 1 || (long) nPages * pageSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad memory geometry " + nPages + " x " + pageSize);
        }
        this.nPages = nPages;
        this.pageSize = pageSize;
        this.owner = new String[nPages + 1];
        Arrays.fill(owner, HYP);
        this.bytes = new byte[nPages * pageSize];
        this.tag = new short[nPages * pageSize];
    }

    private HostMemory(HostMemory o) {
        this.nPages = o.nPages;
        this.pageSize = o.pageSize;
        this.owner = o.owner.clone();
        this.bytes = o.bytes.clone();
        this.tag = o.tag.clone();
        this.privatePages.or(o.privatePages);
    }

    public HostMemory copy() { return new HostMemory(this); }

    public int nPages() { return nPages; }
    public int pageSize() { return pageSize; }
    public long size() { return (long) nPages * pageSize; }

    public boolean isPage(int p) { return p >= 1 && p <= nPages; }

    /** True iff [addr, addr + len) is non-empty and lies inside memory; immune to overflow. */
    public boolean containsRange(long addr, long len) {
        return len > 0 && addr >= 0 && addr < size() && len <= size() - addr;
    }

    /** TLA+: PageOf(a).  Defined for any address, so out-of-range ones can be reported. */
    public int pageOf(long addr) { return (int) Math.floorDiv(addr, (long) pageSize) + 1; }

    public long pageStart(int p) { return (long) (p - 1) * pageSize; }

    public String owner(int p) { return owner[p]; }

    /** Makes p one of the hypervisor's private pages; it must still be Hyp's. */
    public void setPrivate(int p) {
        if (!isPage(p) || !owner[p].equals(HYP)) throw new IllegalArgumentException("page " + p + " is not the hypervisor's");
        privatePages.set(p);
    }

    /** TLA+: p \in PrivatePages. */
    public boolean isPrivate(int p) { return privatePages.get(p); }

    /** The hypervisor's private pages, in order. */
    public List<Integer> privatePages() { return privatePages.stream().boxed().toList(); }

    public void setOwner(int p, String o) { owner[p] = o; }

    public List<Integer> pagesOwnedBy(String g) {
        List<Integer> r = new ArrayList<>();
        for (int p = 1; p <= nPages; p++) if (owner[p].equals(g)) r.add(p);
        return r;
    }

    public byte read(long addr) { return bytes[(int) addr]; }

    public int tag(long addr) { return tag[(int) addr]; }

    public void write(long addr, byte value, int provenance) {
        bytes[(int) addr] = value;
        tag[(int) addr] = (short) provenance;
    }

    /** Zeroes a page and forgets whose data it held: the hypervisor does this before a page changes hands via the pool. */
    public void scrub(int p) {
        int from = (p - 1) * pageSize;
        Arrays.fill(bytes, from, from + pageSize, (byte) 0);
        Arrays.fill(tag, from, from + pageSize, (short) 0);
    }

    /** A page handed over on purpose (page flipping): its data becomes the new owner's. */
    public void retag(int p, int provenance) {
        int from = (p - 1) * pageSize;
        for (int i = from; i < from + pageSize; i++) if (tag[i] != 0) tag[i] = (short) provenance;
    }
}
