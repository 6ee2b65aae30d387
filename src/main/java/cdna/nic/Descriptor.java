package cdna.nic;

import java.util.List;

/**
 * A ring slot: a scatter list and a sequence tag.  Under CDNA the hypervisor
 * writes exactly one segment (the spec's [addr, len, seq]); under IOMMU
 * protection the guest writes the slot itself, so any list of any segments can
 * appear here and the NIC must treat it as untrusted.
 */
public record Descriptor(List<Segment> segments, int seq) {
    public Descriptor {
        segments = List.copyOf(segments);
    }

    /** TLA+: NoDesc == [addr |-> 0, len |-> 0, seq |-> SeqMod]; the tag SeqMod never matches. */
    public static Descriptor empty(int seqMod) { return new Descriptor(List.of(), seqMod); }

    public static Descriptor of(long addr, long len, int seq) { return new Descriptor(List.of(new Segment(addr, len)), seq); }

    /** Total length, saturating, so a hostile list cannot wrap around to a small positive number. */
    public long len() {
        long n = 0;
        for (Segment s : segments) {
            if (s.len() <= 0) return -1;
            n = n > Long.MAX_VALUE - s.len() ? Long.MAX_VALUE : n + s.len();
        }
        return n;
    }

    public boolean isEmpty() { return segments.isEmpty(); }

    /** The spec's addr field: the first segment's start (0 for an empty slot). */
    public long addr() { return segments.isEmpty() ? 0 : segments.get(0).addr(); }

    @Override public String toString() { return segments + "#" + seq; }
}
