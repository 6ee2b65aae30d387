package cdna.nic;

/**
 * An Ethernet frame with real payload bytes.  {@code provenance} names whose
 * data the bytes are (0 = nobody, i + 1 = guest i): for a received frame, the
 * guest owning the context its destination MAC selected.
 */
public record Frame(long id, String dstMac, byte[] payload, int provenance) {
    /** Deterministic payload, so two runs from one seed move the same bytes. */
    public static byte[] pattern(long id, int len) {
        byte[] b = new byte[Math.max(0, len)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (1 + ((id * 31 + i) % 255));
        return b;
    }
}
