package cdna.nic;

/**
 * TLA+: engine[c] == [desc, moved]: the descriptor copy the DMA engine works on
 * and the bytes moved so far.  The copy matters: the engine keeps using it even
 * if the ring slot is rewritten.  {@code frame} is the received frame being
 * written (RX), or the bytes read so far (TX).
 */
public record Engine(Descriptor desc, long moved, Frame frame) {
    public boolean idle() { return desc == null; }

    public static final Engine IDLE = new Engine(null, 0, null);
}
