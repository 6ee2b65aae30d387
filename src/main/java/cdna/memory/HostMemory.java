package cdna.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Host (machine) memory: pages numbered 1..nPages of pageSize real bytes, each
 * page owned by a guest or by the hypervisor ({@link #HYP}, which also holds
 * the free pool).  Page order matters: address a lies in page a / pageSize + 1,
 * exactly as PageOf in CdnaProtection.  A sliced page (TLA+ SlicedPages) has a
 * second principal: its upper half is the slice owner's for good, so who owns
 * a byte is {@link #ownerAt}.
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
    // Sliced pages (TLA+ SlicedPages): the owner of each one's upper half, whoever owns the page.
    private final java.util.TreeMap<Integer, String> sliceOwner = new java.util.TreeMap<>();

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
        this.sliceOwner.putAll(o.sliceOwner);
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

    /**
     * Slices page p (a slab or bounce-pool page): its upper half belongs to
     * {@code upper} for good, its lower half goes with the page.  Needs pages
     * of at least 2 bytes.
     */
    public void slice(int p, String upper) {
        if (!isPage(p) || pageSize < 2 || upper == null) throw new IllegalArgumentException("cannot slice page " + p);
        sliceOwner.put(p, upper);
    }

    public boolean isSliced(int p) { return sliceOwner.containsKey(p); }

    /** Whether byte addr lies in the upper half of a sliced page, which is not the page owner's. */
    public boolean inSlice(long addr) {
        int p = pageOf(addr);
        return isSliced(p) && addr - pageStart(p) >= pageSize / 2;
    }

    /** TLA+ (IommuProtection): CellOwner(a): the page's owner, or the slice owner in a sliced page's upper half. */
    public String ownerAt(long addr) {
        int p = pageOf(addr);
        return inSlice(addr) ? sliceOwner.get(p) : owner[p];
    }

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
        int to = from + ownedBytes(p);
        Arrays.fill(bytes, from, to, (byte) 0);
        Arrays.fill(tag, from, to, (short) 0);
    }

    /** A page handed over on purpose (page flipping): its data becomes the new owner's. */
    public void retag(int p, int provenance) {
        int from = (p - 1) * pageSize;
        for (int i = from; i < from + ownedBytes(p); i++) if (tag[i] != 0) tag[i] = (short) provenance;
    }

    // The bytes that go with page p when it changes hands: all of them, or a sliced page's lower half.
    private int ownedBytes(int p) { return isSliced(p) ? pageSize / 2 : pageSize; }
}
