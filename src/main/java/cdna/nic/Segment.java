package cdna.nic;

/** One contiguous piece of a DMA buffer, in device addresses (machine addresses without an IOMMU, IOVAs with one). */
public record Segment(long addr, long len) {
    @Override public String toString() { return "[" + addr + "+" + len + "]"; }
}
