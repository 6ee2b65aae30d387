package cdna.hypervisor;

import java.util.BitSet;
import java.util.List;

/**
 * TLA+ (IommuProtection): a buffer in IOVA space, lying in page {@code first}
 * from byte {@code off}, continuing into page {@code second} if it crosses a
 * page boundary (the IOVA range is contiguous, the machine pages need not be).
 */
public record IoBuffer(int first, int second, long off, long len) {
    /** The spec's Buffers set, for a given page size and MaxLen. */
    public boolean wellFormed(int pageSize, long maxLen) {
        if (off < 0 || off >= pageSize || len < 1 || len > maxLen) return false;
        long end = off + len;
        return first == second ? end <= pageSize : end > pageSize && end <= 2L * pageSize;
    }

    public List<Integer> pages() { return first == second ? List.of(first) : List.of(first, second); }

    /** TLA+: CellsOf(b) restricted to page p, as offsets within p. */
    public BitSet cellsIn(int p, int pageSize) {
        BitSet b = new BitSet();
        if (p == first) b.set((int) off, (int) Math.min(off + len, pageSize));
        if (p == second && first != second) b.set(0, (int) (off + len - pageSize));
        return b;
    }

    /** The device addresses (IOVAs) of the buffer, one segment per page. */
    public List<cdna.nic.Segment> segments(int pageSize) {
        long a = (long) (first - 1) * pageSize + off;
        if (first == second) return List.of(new cdna.nic.Segment(a, len));
        long l1 = pageSize - off;
        return List.of(new cdna.nic.Segment(a, l1), new cdna.nic.Segment((long) (second - 1) * pageSize, len - l1));
    }

    @Override public String toString() { return "[first " + first + ", second " + second + ", off " + off + ", len " + len + "]"; }
}
