package cdna.nic;

/**
 * The NIC's path to host memory.  Without an IOMMU it is the bus itself; with
 * one, every access is translated (and may fault).  The port also lets an
 * observer see each access before it lands, which is where the isolation
 * checker sits.
 */
public interface DmaPort {
    /**
     * Moves {@code data.length} bytes for context {@code ctx} at device address
     * {@code addr} (all in one page): writes them (RX) or fills {@code data}
     * with what is read (TX).  For a write, {@code provenance} tags the bytes.
     * Returns false if the access faults; then nothing moved.
     */
    boolean dma(int ctx, Dir dir, long addr, byte[] data, int provenance);
}
